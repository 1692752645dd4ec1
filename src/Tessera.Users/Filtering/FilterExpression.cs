namespace Tessera.Users.Filtering;

/// <summary>A parsed AIP-160 filter: a small tree that stores translate or evaluate, never text pasted into SQL.</summary>
public abstract record FilterExpression;

public sealed record AndExpression(FilterExpression Left, FilterExpression Right) : FilterExpression;

public sealed record OrExpression(FilterExpression Left, FilterExpression Right) : FilterExpression;

public sealed record NotExpression(FilterExpression Operand) : FilterExpression;

/// <summary>A restriction such as <c>username:"ali*"</c>; <see cref="Value"/> is already typed for the field.</summary>
public sealed record Comparison(FilterField Field, FilterOperator Operator, FilterValue Value) : FilterExpression;

public enum FilterOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    /// <summary><c>:</c>: a match with <c>*</c> wildcards on strings, membership on <c>roles</c>.</summary>
    Has,
}

public enum FilterFieldKind
{
    Text,
    Boolean,
    Timestamp,
    Integer,
    TextList,
}

/// <summary>A field a filter may name. <see cref="Name"/> is the proto field name.</summary>
public sealed record FilterField(string Name, FilterFieldKind Kind)
{
    public static readonly FilterField Id = new("id", FilterFieldKind.Integer);
    public static readonly FilterField Username = new("username", FilterFieldKind.Text);
    public static readonly FilterField Email = new("email", FilterFieldKind.Text);
    public static readonly FilterField FullName = new("full_name", FilterFieldKind.Text);
    public static readonly FilterField Nickname = new("nickname", FilterFieldKind.Text);
    public static readonly FilterField IsActive = new("is_active", FilterFieldKind.Boolean);
    public static readonly FilterField Roles = new("roles", FilterFieldKind.TextList);
    public static readonly FilterField CreatedAt = new("created_at", FilterFieldKind.Timestamp);
    public static readonly FilterField UpdatedAt = new("updated_at", FilterFieldKind.Timestamp);

    public static IReadOnlyDictionary<string, FilterField> All { get; } =
        new[] { Id, Username, Email, FullName, Nickname, IsActive, Roles, CreatedAt, UpdatedAt }
            .ToDictionary(f => f.Name, StringComparer.Ordinal);
}

/// <summary>A literal, typed for the field it is compared with.</summary>
public sealed record FilterValue(string? Text = null, bool Boolean = false, DateTimeOffset Timestamp = default, long Integer = 0)
{
    /// <summary>True when a text value contains a <c>*</c> wildcard (only meaningful with <see cref="FilterOperator.Has"/>).</summary>
    public bool HasWildcard => Text is not null && Text.Contains('*', StringComparison.Ordinal);
}
