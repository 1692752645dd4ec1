using Google.Protobuf.WellKnownTypes;
using Tessera.Contracts.User.V1;

namespace Tessera.Users.Validation;

/// <summary>
/// Turns requests into valid records: new users from CreateUserRequest, and AIP-134 field-mask updates
/// (no mask: the populated fields; <c>*</c>: every writable field; <c>id</c>, <c>created_at</c> never).
/// Throws INVALID_ARGUMENT listing every violation.
/// </summary>
public static class UserEditor
{
    public static readonly IReadOnlySet<string> WritablePaths =
        new HashSet<string>(StringComparer.Ordinal) { "username", "email", "full_name", "is_active", "roles", "metadata", "nickname" };

    private static readonly IReadOnlySet<string> OutputOnlyPaths =
        new HashSet<string>(StringComparer.Ordinal) { "id", "created_at", "updated_at", "etag" };

    /// <summary>Validates a create request (without the password hash) and returns what to store.</summary>
    public static NewUser ToNewUser(CreateUserRequest request, string? passwordHash)
    {
        var violations = new List<FieldViolation>();
        UserRules.Username(request.Username, violations);
        UserRules.Email(request.Email, violations);
        UserRules.FullName(request.FullName, violations);
        UserRules.Password(request.Password, violations);
        UserRules.Roles([.. request.Roles.Distinct(StringComparer.Ordinal)], violations);
        UserRules.Metadata(request.Metadata, violations);
        UserRules.Nickname(request.HasNickname ? request.Nickname : null, violations);
        if (request.RequestId.Length > 128)
        {
            violations.Add(new("request_id", "must be at most 128 characters"));
        }

        ThrowIfAny(violations);
        return new NewUser(
            request.Username,
            request.Email,
            request.FullName,
            passwordHash,
            [.. request.Roles.Distinct(StringComparer.Ordinal)],
            request.Metadata.ToDictionary(),
            request.HasNickname ? request.Nickname : null);
    }

    /// <summary>Checks the create request's own fields; cheap, so it runs before any password is hashed.</summary>
    public static void ValidateCreate(CreateUserRequest request) => ToNewUser(request, null);

    /// <summary>
    /// The mask paths to apply: validated, with no mask meaning the populated fields of <paramref name="patch"/>
    /// (non-empty strings, lists and maps, a set nickname, and is_active when true).
    /// </summary>
    public static IReadOnlySet<string> ResolveMask(User patch, FieldMask? mask)
    {
        if (mask is null || mask.Paths.Count == 0)
        {
            var populated = new HashSet<string>(StringComparer.Ordinal);
            if (patch.Username.Length > 0) populated.Add("username");
            if (patch.Email.Length > 0) populated.Add("email");
            if (patch.FullName.Length > 0) populated.Add("full_name");
            if (patch.IsActive) populated.Add("is_active");
            if (patch.Roles.Count > 0) populated.Add("roles");
            if (patch.Metadata.Count > 0) populated.Add("metadata");
            if (patch.HasNickname) populated.Add("nickname");
            if (populated.Count == 0)
            {
                throw RpcErrors.InvalidArgument("update_mask", "names no fields and the user carries no populated fields; nothing to update");
            }

            return populated;
        }

        var paths = new HashSet<string>(StringComparer.Ordinal);
        var violations = new List<FieldViolation>();
        foreach (var path in mask.Paths)
        {
            if (path == "*")
            {
                paths.UnionWith(WritablePaths);
            }
            else if (WritablePaths.Contains(path))
            {
                paths.Add(path);
            }
            else if (OutputOnlyPaths.Contains(path))
            {
                violations.Add(new("update_mask", $"'{path}' is output only and cannot be updated"));
            }
            else
            {
                violations.Add(new("update_mask", $"unknown field '{path}'; writable fields are {string.Join(", ", WritablePaths)}"));
            }
        }

        ThrowIfAny(violations);
        return paths;
    }

    /// <summary>Applies the masked fields of <paramref name="patch"/> to <paramref name="current"/> and validates the result.</summary>
    public static UserRecord Apply(UserRecord current, User patch, IReadOnlySet<string> paths)
    {
        var violations = new List<FieldViolation>();
        var updated = current;
        foreach (var path in paths)
        {
            updated = path switch
            {
                "username" => updated with { Username = patch.Username },
                "email" => updated with { Email = patch.Email },
                "full_name" => updated with { FullName = patch.FullName },
                "is_active" => updated with { IsActive = patch.IsActive },
                "roles" => updated with { Roles = [.. patch.Roles.Distinct(StringComparer.Ordinal)] },
                "metadata" => updated with { Metadata = patch.Metadata.ToDictionary() },
                _ => updated with { Nickname = patch.HasNickname ? patch.Nickname : null },
            };
        }

        if (paths.Contains("username")) UserRules.Username(updated.Username, violations, "user.username");
        if (paths.Contains("email")) UserRules.Email(updated.Email, violations, "user.email");
        if (paths.Contains("full_name")) UserRules.FullName(updated.FullName, violations, "user.full_name");
        if (paths.Contains("roles")) UserRules.Roles(updated.Roles, violations, "user.roles");
        if (paths.Contains("metadata")) UserRules.Metadata(updated.Metadata, violations, "user.metadata");
        if (paths.Contains("nickname")) UserRules.Nickname(updated.Nickname, violations, "user.nickname");
        ThrowIfAny(violations);
        return updated;
    }

    private static void ThrowIfAny(List<FieldViolation> violations)
    {
        if (violations.Count > 0)
        {
            throw RpcErrors.InvalidArgument(violations);
        }
    }
}
