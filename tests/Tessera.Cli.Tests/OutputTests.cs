using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Tessera.Cli.Import;
using Tessera.Cli.Output;
using Tessera.Contracts;
using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Tests;

public sealed class OutputTests
{
    [Theory]
    [InlineData(StatusCode.NotFound, "NOT_FOUND")]
    [InlineData(StatusCode.InvalidArgument, "INVALID_ARGUMENT")]
    [InlineData(StatusCode.Unavailable, "UNAVAILABLE")]
    [InlineData(StatusCode.DeadlineExceeded, "DEADLINE_EXCEEDED")]
    [InlineData(StatusCode.OK, "OK")]
    [InlineData(StatusCode.Unauthenticated, "UNAUTHENTICATED")]
    [InlineData((StatusCode)99, "UNKNOWN")]
    public void Status_codes_are_spelled_as_grpc_spells_them(StatusCode code, string expected) =>
        Assert.Equal(expected, code.Name());

    [Theory]
    [InlineData("8", "RESOURCE_EXHAUSTED")]
    [InlineData("0", "OK")]
    [InlineData("-1", "UNKNOWN")]
    [InlineData("eight", "UNKNOWN")]
    [InlineData(null, "UNKNOWN")]
    public void Grpc_status_header_values_are_named(string? value, string expected) =>
        Assert.Equal(expected, StatusCodeNames.Parse(value));

    [Fact]
    public void Chat_lines_show_the_time_in_the_given_zone_the_sender_and_the_text()
    {
        var sentAt = Timestamp.FromDateTime(new DateTime(2025, 3, 1, 9, 5, 7, DateTimeKind.Utc));
        var plusTwo = TimeZoneInfo.CreateCustomTimeZone("plus-two", TimeSpan.FromHours(2), "plus-two", "plus-two");

        Assert.Equal("[11:05:07] ada: hi, all", ChatView.Line(new ChatMessage { Kind = ChatMessage.Types.Kind.Text, Sender = "ada", Text = "hi, all", SentAt = sentAt }, plusTwo));
        Assert.Equal("[09:05:07] * bob joined lobby", ChatView.Line(new ChatMessage { Kind = ChatMessage.Types.Kind.Join, Sender = "bob", Room = "lobby", SentAt = sentAt }, TimeZoneInfo.Utc));
        Assert.Equal("[09:05:07] * bob left lobby", ChatView.Line(new ChatMessage { Kind = ChatMessage.Types.Kind.Leave, Sender = "bob", Room = "lobby", SentAt = sentAt }, TimeZoneInfo.Utc));
    }

    [Fact]
    public void Streamed_user_rows_line_up_under_the_header_and_cut_long_values()
    {
        var row = UserView.Row(new User { Id = 12, Username = new string('u', 30), Email = "e@example.com", IsActive = true, Roles = { "admin", "ops" } });

        Assert.Equal(UserView.RowHeader.IndexOf("USERNAME", StringComparison.Ordinal), row.IndexOf('u', StringComparison.Ordinal));
        Assert.Contains(new string('u', 19) + "…", row);
        Assert.EndsWith("yes    admin,ops", row);
    }

    [Fact]
    public void Proto_json_uses_the_proto3_json_names_and_includes_defaults()
    {
        var json = ProtoJson.Format(new User { Id = 1, FullName = "Ada", CreatedAt = Timestamp.FromDateTime(new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc)) });

        Assert.Contains("\"fullName\": \"Ada\"", json);
        Assert.Contains("\"isActive\": false", json);
        Assert.Contains("\"createdAt\": \"2025-01-01T00:00:00Z\"", json);
        Assert.DoesNotContain('\n', json);
    }

    [Fact]
    public void The_import_json_summary_has_counts_and_failures()
    {
        var json = ImportReport.Json(new ImportSummary(3, 2, 1, [new ImportFailure(4, "bob", "ALREADY_EXISTS", "username taken")]));

        Assert.Equal("""{"complete":true,"created":3,"replayed":2,"skipped":1,"failed":1,"failures":[{"line":4,"username":"bob","code":"ALREADY_EXISTS","reason":"username taken"}]}""", json);
    }

    [Theory]
    [InlineData("users.csv", "Csv")]
    [InlineData("USERS.CSV", "Csv")]
    [InlineData("users.jsonl", "Jsonl")]
    [InlineData("users.ndjson", "Jsonl")]
    public void The_import_format_follows_the_extension(string path, string expected) =>
        Assert.Equal(expected, ImportFormats.FromPath(path).ToString());
}
