using Tessera.Cli.Import;

namespace Tessera.Cli.Tests;

public sealed class UserCsvReaderTests
{
    [Fact]
    public void Reads_every_column_with_roles_split_on_semicolons()
    {
        var lines = Read("username,email,full_name,password,roles\nada,ada@example.com,\"Lovelace, Ada\",s3cret-pass,admin; editor;\n");

        var line = Assert.Single(lines);
        Assert.Equal(2, line.LineNumber);
        var request = Assert.IsType<Contracts.User.V1.CreateUserRequest>(line.Request);
        Assert.Equal("ada", request.Username);
        Assert.Equal("ada@example.com", request.Email);
        Assert.Equal("Lovelace, Ada", request.FullName);
        Assert.Equal("s3cret-pass", request.Password);
        Assert.Equal(["admin", "editor"], request.Roles);
    }

    [Fact]
    public void Columns_may_come_in_any_order_and_any_case_and_only_username_and_email_are_required()
    {
        var lines = Read("Email , USERNAME\nbob@example.com,bob\n");

        var request = Assert.Single(lines).Request!;
        Assert.Equal("bob", request.Username);
        Assert.Equal("bob@example.com", request.Email);
        Assert.Empty(request.Roles);
    }

    [Fact]
    public void An_escaped_quote_in_a_name_survives()
    {
        var lines = Read("username,email,full_name\nobrien,ob@example.com,\"Conan \"\"The Kid\"\" O'Brien\"\n");

        Assert.Equal("Conan \"The Kid\" O'Brien", Assert.Single(lines).Request!.FullName);
    }

    [Theory]
    [InlineData("username,full_name\nada,Ada\n", "'email'")]
    [InlineData("email\nada@example.com\n", "'username'")]
    [InlineData("full_name\nAda\n", "'username' and 'email'")]
    public void A_header_without_a_required_column_rejects_the_whole_file(string csv, string missing)
    {
        var error = Assert.Throws<ImportFileException>(() => Read(csv));

        Assert.Contains(missing, error.Message);
        Assert.Contains("line 1", error.Message);
    }

    [Fact]
    public void An_unknown_column_rejects_the_whole_file_so_a_typo_loses_nothing()
    {
        var error = Assert.Throws<ImportFileException>(() => Read("username,email,fullname\n"));

        Assert.Contains("unknown column 'fullname'", error.Message);
    }

    [Fact]
    public void An_empty_file_is_rejected()
    {
        Assert.Throws<ImportFileException>(() => Read(""));
    }

    [Fact]
    public void Bad_lines_are_reported_with_their_line_numbers_and_the_good_ones_still_read()
    {
        const string csv = """
            username,email,full_name
            ada,ada@example.com,Ada
            bob,bob@example.com
            ,carol@example.com,Carol
            dave,,Dave
            "eve,eve@example.com,Eve
            """;

        var lines = Read(csv + "\nfrank,frank@example.com,Frank\n");

        Assert.Equal([2, 3, 4, 5, 6], lines.Select(l => l.LineNumber));
        Assert.NotNull(lines[0].Request);
        Assert.Equal(("bob", "expected 3 fields, found 2"), (lines[1].Username, lines[1].Error));
        Assert.Equal("username is required", lines[2].Error);
        Assert.Equal(("dave", "email is required"), (lines[3].Username, lines[3].Error));
        Assert.Contains("never closed", lines[4].Error); // the open quote swallows the rest of the file
        Assert.All(lines.Skip(1), l => Assert.Null(l.Request));
    }

    private static List<ImportLine> Read(string csv) => [.. UserCsvReader.Read(new StringReader(csv))];
}
