using Tessera.Cli.Import;

namespace Tessera.Cli.Tests;

public sealed class UserJsonLinesReaderTests
{
    [Fact]
    public void Reads_one_user_per_line_with_roles_as_an_array()
    {
        var lines = Read("""
            {"username":"ada","email":"ada@example.com","full_name":"Ada, Countess","password":"s3cret-pass","roles":["admin","editor"]}
            {"username":"bob","email":"bob@example.com","fullName":"Bob"}
            """);

        Assert.Equal([1, 2], lines.Select(l => l.LineNumber));
        var ada = lines[0].Request!;
        Assert.Equal("Ada, Countess", ada.FullName);
        Assert.Equal("s3cret-pass", ada.Password);
        Assert.Equal(["admin", "editor"], ada.Roles);
        Assert.Equal("Bob", lines[1].Request!.FullName);
    }

    [Fact]
    public void A_malformed_line_is_reported_with_its_number_and_the_next_line_is_still_read()
    {
        var lines = Read("{\"username\":\"ada\",\"email\":\"ada@example.com\"}\n\n{\"username\": \"bob\", \n{\"username\":\"carol\",\"email\":\"carol@example.com\"}\n");

        Assert.Equal([1, 3, 4], lines.Select(l => l.LineNumber));
        Assert.Null(lines[1].Request);
        Assert.StartsWith("not a user object", lines[1].Error);
        Assert.Equal("carol", lines[2].Request!.Username);
    }

    [Theory]
    [InlineData("""{"username":"ada"}""", "email is required")]
    [InlineData("""{"email":"ada@example.com"}""", "username is required")]
    public void A_line_without_a_required_field_is_not_sent(string json, string error)
    {
        var line = Assert.Single(Read(json));

        Assert.Null(line.Request);
        Assert.Equal(error, line.Error);
    }

    [Theory]
    [InlineData("""{"username":"ada","email":"a@example.com","emial":"x"}""")]
    [InlineData("""{"username":"ada","email":"a@example.com","roles":"admin"}""")]
    [InlineData("""["ada","a@example.com"]""")]
    public void Unknown_keys_and_wrong_types_are_bad_lines(string json)
    {
        var line = Assert.Single(Read(json));

        Assert.Null(line.Request);
        Assert.NotNull(line.Error);
    }

    private static List<ImportLine> Read(string text) => [.. UserJsonLinesReader.Read(new StringReader(text))];
}
