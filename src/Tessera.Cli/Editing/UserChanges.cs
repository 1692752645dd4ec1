using Google.Protobuf.WellKnownTypes;
using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Editing;

/// <summary>
/// The changes <c>users update</c> was given. The update mask names exactly the options given, so
/// <c>--full-name ""</c> clears the full name, <c>--active false</c> deactivates and <c>--roles ""</c> removes every role.
/// </summary>
internal sealed record UserChanges(string? Username = null, string? Email = null, string? FullName = null, bool? Active = null, IReadOnlyList<string>? Roles = null)
{
    public bool IsEmpty => Username is null && Email is null && FullName is null && Active is null && Roles is null;

    /// <summary>The request for user <paramref name="id"/>; <paramref name="etag"/>, when given, guards the write.</summary>
    public UpdateUserRequest ToRequest(long id, string? etag = null)
    {
        var user = new User { Id = id, Etag = etag ?? "" };
        var mask = new FieldMask();
        if (Username is not null)
        {
            user.Username = Username;
            mask.Paths.Add("username");
        }

        if (Email is not null)
        {
            user.Email = Email;
            mask.Paths.Add("email");
        }

        if (FullName is not null)
        {
            user.FullName = FullName;
            mask.Paths.Add("full_name");
        }

        if (Active is { } active)
        {
            user.IsActive = active;
            mask.Paths.Add("is_active");
        }

        if (Roles is not null)
        {
            user.Roles.Add(Roles);
            mask.Paths.Add("roles");
        }

        return new UpdateUserRequest { UserId = id, User = user, UpdateMask = mask };
    }
}
