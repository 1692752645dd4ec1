using System.Text.Json;
using Tessera.Contracts.User.V1;
using Tessera.Testing;

namespace Tessera.Cli.Tests;

/// <summary><c>tessera users import FILE</c> over a fake BulkCreateUsers.</summary>
public sealed class ImportCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("tessera-import-").FullName;
    private readonly FakeClientStream<CreateUserRequest, BulkCreateResponse> _stream = new();

    public ImportCommandTests()
    {
        // The fake server creates every user except those named "taken".
        _stream.Writer.OnChange = writer =>
        {
            if (!writer.Completed)
            {
                return;
            }

            var response = new BulkCreateResponse();
            for (var i = 0; i < writer.Written.Count; i++)
            {
                if (writer.Written[i].Username == "taken")
                {
                    response.Failures.Add(new BulkCreateFailure { Index = i, Code = "ALREADY_EXISTS", Reason = "username taken", Field = "username" });
                }
                else
                {
                    response.CreatedCount++;
                }
            }

            response.FailedCount = response.Failures.Count;
            _stream.Response.SetResult(response);
        };
        _cli.Invoker.OnClientStreaming = _ => _stream;
    }

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
        Assert.Equal(["ada", "bob"], _stream.Writer.Written.Select(r => r.Username));
        Assert.Equal("created 2, failed 0", _cli.Out.ToString().Trim());
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
        Assert.Equal(["ada", "taken", "bob"], _stream.Writer.Written.Select(r => r.Username));
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
        Assert.StartsWith("created 0, failed 1", output);
        Assert.Contains("ALREADY_EXISTS", output);
        Assert.Contains("username taken (field username)", output);
    }

    [Fact]
    public async Task The_format_option_overrides_the_extension()
    {
        var file = Write("users.txt", "username,email\nada,ada@example.com\n");

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("users", "import", file, "--format", "csv"));
        Assert.Single(_stream.Writer.Written);
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

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
