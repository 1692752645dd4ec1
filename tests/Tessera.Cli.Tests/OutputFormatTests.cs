using System.Text.Json;
using System.Text.Json.Nodes;
using Grpc.Core;
using Tessera.Cli.Output;
using Tessera.Contracts.User.V1;
using Tessera.Testing;

namespace Tessera.Cli.Tests;

/// <summary><c>-o json</c> and <c>-o yaml</c>: data and errors in the shapes scripts read, and exit codes that follow the status.</summary>
public sealed class OutputFormatTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Yaml_prints_a_user_with_its_json_field_names_and_no_dotnet_type_names()
    {
        var ada = new User(CliHarness.Ada) { Metadata = { ["team"] = "analytical engines" } };
        _cli.Invoker.OnUnary = (_, _) => ada;

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("users", "get", "7", "-o", "yaml"));

        var lines = _cli.OutLines();
        Assert.Contains("id: \"7\"", lines);
        Assert.Contains("username: ada", lines);
        Assert.Contains("fullName: Ada Lovelace", lines);
        Assert.Contains("isActive: true", lines);
        Assert.Contains("roles:", lines);
        Assert.Contains("  - admin", lines);
        Assert.Contains("metadata:", lines);
        Assert.Contains("  team: analytical engines", lines);
        Assert.DoesNotContain("Tessera.", _cli.Out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Yaml_streams_are_one_document_per_item()
    {
        _cli.Invoker.OnServerStreaming = (_, _) => FakeStreamReader<User>.Of([CliHarness.Ada, new User { Id = 8, Username = "bob" }]);

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("users", "list", "-o", "yaml"));

        Assert.Equal(2, _cli.OutLines().Count(line => line == "---"));
        Assert.Contains("username: bob", _cli.OutLines());
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("ada@example.com", "ada@example.com")]
    [InlineData("true", "\"true\"")]
    [InlineData("no", "\"no\"")]
    [InlineData("12", "\"12\"")]
    [InlineData("a: b", "\"a: b\"")]
    [InlineData("- dash", "\"- dash\"")]
    [InlineData("it's <here>", "\"it's <here>\"")]
    [InlineData("", "\"\"")]
    [InlineData("line\nbreak", "\"line\\nbreak\"")]
    public void Yaml_strings_are_plain_only_where_they_read_back_as_the_same_string(string value, string expected) =>
        Assert.Equal($"k: {expected}\n", YamlText.Format(new JsonObject { ["k"] = value }));

    [Fact]
    public void Yaml_nests_lists_of_objects()
    {
        var node = JsonNode.Parse("""{"a":[{"x":1,"w":"z"}],"e":[],"o":{}}""");

        Assert.Equal("a:\n  - x: 1\n    w: z\ne: []\no: {}\n", YamlText.Format(node));
    }

    [Fact]
    public void Json_is_indented_on_a_terminal_and_one_line_when_piped()
    {
        var node = new JsonObject { ["a"] = 1, ["b"] = "it's" };

        Assert.Equal("{\"a\":1,\"b\":\"it's\"}", DataPrinter.Format(node, OutputFormat.Json, terminal: false));
        Assert.Contains("\n  \"a\": 1", DataPrinter.Format(node, OutputFormat.Json, terminal: true), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_in_json_mode_are_an_object_on_stderr_with_code_reason_and_field_violations()
    {
        _cli.Invoker.OnUnary = (_, _) => throw ServerErrors.Rich(StatusCode.InvalidArgument, "username: must be 3-32 characters", "INVALID_ARGUMENT",
            ("username", "must be 3-32 characters"));

        var code = await _cli.RunAsync("users", "create", "--username", "a", "--email", "a@example.com", "--password", "long enough", "-o", "json");

        Assert.Equal(ExitCodes.For(StatusCode.InvalidArgument), code);
        Assert.Equal("", _cli.Out.ToString());
        using var json = JsonDocument.Parse(_cli.Error.ToString());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("INVALID_ARGUMENT", error.GetProperty("code").GetString());
        Assert.Equal("INVALID_ARGUMENT", error.GetProperty("reason").GetString());
        Assert.Equal("username: must be 3-32 characters", error.GetProperty("message").GetString());
        var violation = Assert.Single(error.GetProperty("fieldViolations").EnumerateArray());
        Assert.Equal("username", violation.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Errors_in_yaml_mode_are_yaml_on_stderr()
    {
        Assert.Equal(15, await _cli.RunAsync("users", "get", "99", "-o", "yaml"));

        var lines = _cli.Error.ToString().Split('\n');
        Assert.Equal("error:", lines[0]);
        Assert.Contains("  code: NOT_FOUND", lines);
        Assert.Contains("  reason: USER_NOT_FOUND", lines);
    }

    [Fact]
    public async Task A_failure_that_is_not_a_call_is_also_an_object_in_json_mode()
    {
        Assert.Equal(ExitCodes.Failed, await _cli.RunAsync("users", "delete", "7", "-o", "json"));

        using var json = JsonDocument.Parse(_cli.Error.ToString());
        Assert.Contains("--yes", json.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StatusCode.Cancelled, 11)]
    [InlineData(StatusCode.InvalidArgument, 13)]
    [InlineData(StatusCode.NotFound, 15)]
    [InlineData(StatusCode.PermissionDenied, 17)]
    [InlineData(StatusCode.ResourceExhausted, 18)]
    [InlineData(StatusCode.FailedPrecondition, 19)]
    [InlineData(StatusCode.Aborted, 20)]
    [InlineData(StatusCode.Unavailable, 24)]
    [InlineData(StatusCode.Unauthenticated, 26)]
    public async Task A_failed_call_exits_with_10_plus_its_status_code(StatusCode status, int expected)
    {
        _cli.Invoker.OnUnary = (_, _) => throw ServerErrors.Rich(status, "refused", "SOME_REASON");

        Assert.Equal(expected, await _cli.RunAsync("users", "get", "7"));
        Assert.NotEqual(ExitCodes.Usage, expected);
    }
}
