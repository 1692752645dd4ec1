using System.Globalization;
using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Output;

/// <summary>Watch events as lines: revision, type, then the user.</summary>
internal static class EventView
{
    public static string RowHeader { get; } = $"{DisplayText.Fit("REVISION", 10)} {DisplayText.Fit("TYPE", 8)} {DisplayText.Fit("ID", 8)} {DisplayText.Fit("USERNAME", 20)} EMAIL";

    public static string Row(UserEvent change)
    {
        var user = change.User ?? new User();
        return $"{DisplayText.Fit(change.Revision.ToString(CultureInfo.InvariantCulture), 10)} {DisplayText.Fit(change.Type.ToString().ToUpperInvariant(), 8)} " +
            $"{DisplayText.Fit(user.Id.ToString(CultureInfo.InvariantCulture), 8)} {DisplayText.Fit(user.Username, 20)} {user.Email}".TrimEnd();
    }
}
