using System.Text.RegularExpressions;

namespace Tessera.Users.Validation;

/// <summary>The rules every stored user obeys. Each method adds what is wrong to <c>violations</c>, naming the proto field.</summary>
public static partial class UserRules
{
    public const int MaxFullName = 200;
    public const int MinPassword = 8;
    public const int MaxPassword = 128;
    public const int MaxRoles = 16;
    public const int MaxMetadata = 16;
    public const int MaxNickname = 64;

    public static void Username(string username, List<FieldViolation> violations, string field = "username")
    {
        if (string.IsNullOrEmpty(username))
        {
            violations.Add(new(field, "is required"));
        }
        else if (!UsernamePattern().IsMatch(username))
        {
            violations.Add(new(field, "must be 3-32 characters of letters, digits, '.', '_' or '-'"));
        }
    }

    public static void Email(string email, List<FieldViolation> violations, string field = "email")
    {
        if (string.IsNullOrEmpty(email))
        {
            violations.Add(new(field, "is required"));
        }
        else if (email.Length > 254 || !EmailPattern().IsMatch(email) || email.IndexOf('@', StringComparison.Ordinal) > 64)
        {
            violations.Add(new(field, "must be a well-formed address such as name@example.com"));
        }
    }

    public static void FullName(string fullName, List<FieldViolation> violations, string field = "full_name")
    {
        if (fullName.Length > MaxFullName)
        {
            violations.Add(new(field, $"must be at most {MaxFullName} characters"));
        }
        else if (fullName.Any(char.IsControl))
        {
            violations.Add(new(field, "must not contain control characters"));
        }
    }

    public static void Password(string password, List<FieldViolation> violations, string field = "password")
    {
        if (password.Length is > 0 and < MinPassword or > MaxPassword)
        {
            violations.Add(new(field, $"must be {MinPassword}-{MaxPassword} characters when given"));
        }
    }

    public static void Nickname(string? nickname, List<FieldViolation> violations, string field = "nickname")
    {
        if (nickname is not null && (nickname.Length > MaxNickname || nickname.Any(char.IsControl)))
        {
            violations.Add(new(field, $"must be at most {MaxNickname} characters without control characters"));
        }
    }

    public static void Roles(IReadOnlyCollection<string> roles, List<FieldViolation> violations, string field = "roles")
    {
        if (roles.Count > MaxRoles)
        {
            violations.Add(new(field, $"at most {MaxRoles} roles"));
            return;
        }

        foreach (var role in roles)
        {
            if (!RolePattern().IsMatch(role))
            {
                violations.Add(new(field, $"'{Truncate(role)}' is not a role name: 1-32 lowercase letters, digits, '_' or '-', starting with a letter"));
            }
            else if (role == Auth.Roles.Service)
            {
                violations.Add(new(field, $"'{role}' is reserved for the tokens Tessera's services issue one another and cannot be given to a user"));
            }
        }
    }

    public static void Metadata(IReadOnlyDictionary<string, string> metadata, List<FieldViolation> violations, string field = "metadata")
    {
        if (metadata.Count > MaxMetadata)
        {
            violations.Add(new(field, $"at most {MaxMetadata} entries"));
            return;
        }

        foreach (var (key, value) in metadata)
        {
            if (!MetadataKeyPattern().IsMatch(key))
            {
                violations.Add(new(field, $"key '{Truncate(key)}' must be 1-63 characters of letters, digits, '.', '_' or '-'"));
            }
            else if (value.Length > 256)
            {
                violations.Add(new(field, $"value of '{key}' must be at most 256 characters"));
            }
        }
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";

    [GeneratedRegex(@"^[A-Za-z0-9._-]{3,32}\z")]
    private static partial Regex UsernamePattern();

    [GeneratedRegex(@"^[^@\s""<>()\[\],;:\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+\z")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^[a-z][a-z0-9_-]{0,31}\z")]
    private static partial Regex RolePattern();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,63}\z")]
    private static partial Regex MetadataKeyPattern();
}
