using System.Globalization;
using Spectre.Console;
using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Output;

/// <summary>Users as tables: one user field by field, a page of users as rows, and rows printed as a stream arrives.</summary>
internal static class UserView
{
    /// <summary>Streamed rows: the header line, printed once before the first row.</summary>
    public static string RowHeader { get; } = Row("ID", "USERNAME", "EMAIL", "FULL NAME", "ACTIVE", "ROLES");

    /// <summary>One user as a fixed-width line under <see cref="RowHeader"/>.</summary>
    public static string Row(User user) =>
        Row(user.Id.ToString(CultureInfo.InvariantCulture), user.Username, user.Email, user.FullName, DisplayText.YesNo(user.IsActive), string.Join(',', user.Roles));

    /// <summary>Piped rows: the header line of <see cref="TabRow"/>.</summary>
    public static string TabHeader { get; } = string.Join('\t', "ID", "USERNAME", "EMAIL", "FULL NAME", "ACTIVE", "ROLES");

    /// <summary>One user as tab-separated whole values (tabs and line breaks inside a value become spaces), for piped output.</summary>
    public static string TabRow(User user) => string.Join('\t',
        new[] { user.Id.ToString(CultureInfo.InvariantCulture), user.Username, user.Email, user.FullName, DisplayText.YesNo(user.IsActive), string.Join(',', user.Roles) }
            .Select(value => value.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ')));

    /// <summary>One user, one field a line.</summary>
    public static Table Details(User user)
    {
        var table = new Table().AddColumns("Field", "Value");
        void Add(string field, string value) => table.AddRow(new Text(field), new Text(value));
        Add("id", user.Id.ToString(CultureInfo.InvariantCulture));
        Add("username", user.Username);
        Add("email", user.Email);
        Add("full name", user.FullName);
        Add("active", DisplayText.YesNo(user.IsActive));
        Add("roles", string.Join(", ", user.Roles));
        if (user.HasNickname)
        {
            Add("nickname", user.Nickname);
        }

        foreach (var (key, value) in user.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            Add($"metadata.{key}", value);
        }

        Add("created", DisplayText.Time(user.CreatedAt));
        Add("updated", DisplayText.Time(user.UpdatedAt));
        Add("etag", user.Etag);
        return table;
    }

    /// <summary>A page of users, one a row.</summary>
    public static Table Page(IEnumerable<User> users)
    {
        var table = new Table().AddColumns("ID", "Username", "Email", "Full name", "Active", "Roles");
        foreach (var user in users)
        {
            table.AddRow(
                new Text(user.Id.ToString(CultureInfo.InvariantCulture)),
                new Text(user.Username),
                new Text(user.Email),
                new Text(user.FullName),
                new Text(DisplayText.YesNo(user.IsActive)),
                new Text(string.Join(", ", user.Roles)));
        }

        return table;
    }

    private static string Row(string id, string username, string email, string fullName, string active, string roles) =>
        $"{DisplayText.Fit(id, 8)} {DisplayText.Fit(username, 20)} {DisplayText.Fit(email, 32)} {DisplayText.Fit(fullName, 24)} {DisplayText.Fit(active, 6)} {roles}".TrimEnd();
}
