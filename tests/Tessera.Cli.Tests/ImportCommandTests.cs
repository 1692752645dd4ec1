using System.Text.Json;
using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Tests;

/// <summary><c>tessera users import FILE</c> over a fake BulkCreateUsers (<see cref="ImportFakeServer"/>).</summary>
public sealed class ImportCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("tessera-import-").FullName;
    private readonly ImportFakeServer _server = new();

    public ImportCommandTests() => _server.AttachTo(_cli.Invoker);

    private IEnumerable<CreateUserRequest> Sent => _server.Calls.SelectMany(call => call);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_clean_file_creates_everyone_and_exits_0()
    {
        var file = Write("users.jsonl", """
            {"username":"ada","email":"ada@example.com","roles":["admin"]}
            {"username":"bob","email":"bob@example.com"}
            """);

        var code = await _cli.RunAsync("users", "import", file);

        Assert.True(code == ExitCodes.Ok, _cli.Error.ToString());
        Assert.Equal(["ada", "bob"], Sent.Select(r => r.Username));
        Assert.Equal("created 2, already imported 0, skipped 0, failed 0", _cli.Out.ToString().Trim());
    }

    [Fact]
    public async Task Bad_lines_are_not_sent_and_every_failure_is_reported_with_its_line_number()
    {
        var file = Write("users.csv", """
            username,email,full_name
            ada,ada@example.com,"Lovelace, Ada"
            nomail,,No Mail
            taken,taken@example.com,Taken
            bob,bob@example.com,Bob
            """);

        var code = await _cli.RunAsync("users", "import", file, "-o", "json");

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Equal(["ada", "taken", "bob"], Sent.Select(r => r.Username));
        using var json = JsonDocument.Parse(_cli.Out.ToString());
        Assert.Equal(2, json.RootElement.GetProperty("created").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("failed").GetInt32());
        var failures = json.RootElement.GetProperty("failures").EnumerateArray()
            .Select(f => (f.GetProperty("line").GetInt32(), f.GetProperty("username").GetString(), f.GetProperty("code").GetString()))
            .ToList();
        Assert.Equal([(3, "nomail", "PARSE_ERROR"), (4, "taken", "ALREADY_EXISTS")], failures);
    }

    [Fact]
    public async Task The_table_summary_lists_the_failures()
    {
        var file = Write("users.csv", "username,email\ntaken,taken@example.com\n");

        Assert.Equal(ExitCodes.Failed, await _cli.RunAsync("users", "import", file));

        var output = _cli.Out.ToString();
        Assert.StartsWith("created 0, already imported 0, skipped 0, failed 1", output);
        Assert.Contains("ALREADY_EXISTS", output);
        Assert.Contains("username taken (field username)", output);
    }

    [Fact]
    public async Task The_format_option_overrides_the_extension()
    {
        var file = Write("users.txt", "username,email\nada,ada@example.com\n");

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("users", "import", file, "--format", "csv"));
        Assert.Single(Sent);
    }

    [Fact]
    public async Task An_unknown_extension_without_format_is_an_error_that_sends_nothing()
    {
        var file = Write("users.txt", "username,email\nada,ada@example.com\n");

        Assert.Equal(ExitCodes.Failed, await _cli.RunAsync("users", "import", file));
        Assert.Contains("pass --format csv|jsonl", _cli.Error.ToString());
        Assert.Empty(_cli.Invoker.Calls);
    }

    [Fact]
    public async Task A_header_missing_a_required_column_stops_before_any_call()
    {
        var file = Write("users.csv", "username,full_name\nada,Ada\n");

        Assert.Equal(ExitCodes.Failed, await _cli.RunAsync("users", "import", file));
        Assert.Contains("required column 'email' missing", _cli.Error.ToString());
        Assert.Empty(_cli.Invoker.Calls);
    }

    [Fact]
    public async Task A_missing_file_is_reported_without_a_stack_trace()
    {
        Assert.Equal(ExitCodes.Failed, await _cli.RunAsync("users", "import", Path.Combine(_directory, "absent.csv")));
        Assert.StartsWith("error: cannot read", _cli.Error.ToString());
        Assert.DoesNotContain(" at ", _cli.Error.ToString());
    }

    [Fact]
    public async Task Rerunning_an_import_cut_part_way_creates_nobody_twice_and_reports_the_rows_already_imported()
    {
        var file = Write("people.csv", Csv(1200));
        _server.Cut = (Call: 2, RowsStored: 100);

        Assert.Equal(ExitCodes.For(Grpc.Core.StatusCode.Unavailable), await _cli.RunAsync("users", "import", file));

        var storedBefore = _server.Stored.Count;
        var confirmed = _server.Calls[0].Count + _server.Calls[1].Count;
        Assert.Equal(confirmed + 100, storedBefore);
        Assert.StartsWith($"created {confirmed}, already imported 0, skipped 0, failed 0", _cli.Out.ToString());
        var error = _cli.Error.ToString();
        Assert.Contains($"import of people.csv stopped: {confirmed} rows are stored", error);
        Assert.Contains("Run the same import again to finish", error);
        Assert.Contains("error: UNAVAILABLE", error);

        _cli.Out.GetStringBuilder().Clear();
        _server.Cut = null;
        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("users", "import", file));

        Assert.Equal(1200, _server.Stored.Count);
        Assert.Equal(1200, _server.Stored.Distinct().Count());
        Assert.Equal($"created {1200 - storedBefore}, already imported {storedBefore}, skipped 0, failed 0", _cli.Out.ToString().Trim());
    }

    [Fact]
    public async Task Each_row_carries_a_request_id_of_its_own_that_a_rerun_sends_again()
    {
        var file = Write("people.csv", Csv(3));
        var reordered = Write("reordered.csv", "username,email\nuser2,user2@example.com\nuser0,user0@example.com\nuser1,user1@example.com\n");
        var own = Write("own.jsonl", """{"username":"ada","email":"ada@example.com","requestId":"mine-1"}""");

        await _cli.RunAsync("users", "import", file);
        await _cli.RunAsync("users", "import", reordered);
        await _cli.RunAsync("users", "import", own);

        var first = _server.Calls[0].ToDictionary(r => r.Username, r => r.RequestId);
        Assert.Equal(3, first.Values.Distinct().Count());
        Assert.All(first.Values, id => Assert.StartsWith("import-", id));
        Assert.Equal(first, _server.Calls[1].ToDictionary(r => r.Username, r => r.RequestId));
        Assert.Equal("mine-1", Assert.Single(_server.Calls[2]).RequestId);
        Assert.EndsWith("created 0, already imported 3, skipped 0, failed 0", _cli.OutLines()[1]);
    }

    [Fact]
    public async Task A_row_repeated_in_the_file_is_sent_once_and_the_repeat_fails_naming_the_first()
    {
        var file = Write("users.csv", "username,email\nada,ada@example.com\nbob,bob@example.com\nada,ada@example.com\n");

        Assert.Equal(ExitCodes.Failed, await _cli.RunAsync("users", "import", file, "-o", "json"));

        Assert.Equal(["ada", "bob"], Sent.Select(r => r.Username));
        using var json = JsonDocument.Parse(_cli.Out.ToString());
        var failure = Assert.Single(json.RootElement.GetProperty("failures").EnumerateArray());
        Assert.Equal((4, "DUPLICATE_ROW", "the same user as line 2"), (failure.GetProperty("line").GetInt32(), failure.GetProperty("code").GetString(), failure.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Skip_existing_counts_taken_rows_as_skipped_and_exits_0()
    {
        var file = Write("users.csv", "username,email\nada,ada@example.com\ntaken,taken@example.com\nbob,bob@example.com\n");

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("users", "import", file, "--skip-existing"));

        Assert.Equal("created 2, already imported 0, skipped 1, failed 0", _cli.Out.ToString().Trim());
    }

    [Fact]
    public async Task Piped_progress_goes_to_stderr_and_counts_the_rows_the_server_confirmed()
    {
        var lines = Csv(120).Split('\n').ToList();
        lines[2] = "taken,taken@example.com";
        var file = Write("people.csv", string.Join('\n', lines));
        var confirmedWhenAnswered = new List<int>();
        _server.Answering = _ => confirmedWhenAnswered.Add(_server.Calls.Sum(call => call.Count));

        Assert.Equal(ExitCodes.Failed, await _cli.RunAsync("users", "import", file, "-o", "json"));

        // The first line comes as soon as the first call is answered: its 50 rows, one of them failed.
        var progress = _cli.Error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("people.csv: 50 of 120 rows done (49 stored, 0 skipped, 1 failed) after ", progress[0]);
        Assert.Equal(50, confirmedWhenAnswered[0]);
        Assert.DoesNotContain("rows done", _cli.Out.ToString());
        using var json = JsonDocument.Parse(_cli.Out.ToString());
        Assert.Equal(119, json.RootElement.GetProperty("created").GetInt32());
        Assert.True(json.RootElement.GetProperty("complete").GetBoolean());
    }

    /// <summary>A CSV file of users user0 .. user{count-1}.</summary>
    private static string Csv(int count) =>
        "username,email\n" + string.Concat(Enumerable.Range(0, count).Select(i => $"user{i},user{i}@example.com\n"));

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
