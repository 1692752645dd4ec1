using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Tessera.Users.Filtering;

namespace Tessera.Users.Storage.Postgres;

/// <summary>
/// The <c>users</c> table's SQL on PostgreSQL: rows in and out, the case-folded keys that uniqueness and filters use.
/// Statements use positional parameters ($1, $2, …), which Npgsql sends as they are and prepares automatically.
/// </summary>
internal static class PostgresUserRows
{
    /// <summary>
    /// Writes every field of <paramref name="user"/> (and the password hash when given), advancing the security stamp
    /// when the roles change, the user is deactivated, or the password is set, exactly as SQLite does. The stamp
    /// expression reads the row as it was before the update.
    /// </summary>
    /// <exception cref="UniqueViolationException">the change clashes with another user; the statement failed, so the
    /// caller's savepoint must be rolled back. The field comes from the violated index (typed, never message text);
    /// when both clash PostgreSQL checks the username's index first (indexes are checked in creation order).</exception>
    public static async Task UpdateAsync(NpgsqlConnection connection, UserRecord user, string? newPasswordHash, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            UPDATE users SET username = $1, username_key = $2, email = $3, email_key = $4, full_name = $5, full_name_key = $6,
                nickname = $7, nickname_key = $8, is_active = $9, roles = $10, metadata = $11, updated_at = $12, version = $13,
                password_hash = {(newPasswordHash is null ? "password_hash" : "$15")},
                security_stamp = security_stamp + CASE WHEN {(newPasswordHash is null ? "false" : "true")} OR roles <> $10 OR (is_active AND NOT $9) THEN 1 ELSE 0 END
            WHERE id = $14
            """, connection);
        BindFields(command.Parameters, user.Username, user.Email, user.FullName, user.Nickname, user.IsActive, user.Roles, user.Metadata);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = StoreTime.ToMicros(user.UpdatedAt) });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = user.Version });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = user.Id });
        if (newPasswordHash is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = newPasswordHash });
        }

        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new UniqueViolationException(e.ConstraintName == "users_email_key" ? "email" : "username");
        }
    }

    /// <summary>The user, its row locked until the transaction ends; null when there is none.</summary>
    public static async Task<UserRecord?> FindForUpdateAsync(NpgsqlConnection connection, long id, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {UserColumns.Selected} FROM users WHERE id = $1 FOR UPDATE", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadUser(reader) : null;
    }

    /// <summary>Binds $1…$11 of an insert or update: the fields and their folded keys.</summary>
    public static void BindFields(
        NpgsqlParameterCollection parameters,
        string username,
        string email,
        string fullName,
        string? nickname,
        bool isActive,
        IReadOnlyList<string> roles,
        IReadOnlyDictionary<string, string> metadata)
    {
        parameters.Add(new NpgsqlParameter<string> { TypedValue = username });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = FilterEvaluator.Fold(username) });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = email });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = FilterEvaluator.Fold(email) });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = fullName });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = FilterEvaluator.Fold(fullName) });
        parameters.Add(new NpgsqlParameter { Value = (object?)nickname ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = FilterEvaluator.Fold(nickname ?? "") });
        parameters.Add(new NpgsqlParameter<bool> { TypedValue = isActive });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. roles] });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = MetadataJson(metadata), NpgsqlDbType = NpgsqlDbType.Jsonb });
    }

    public static string MetadataJson(IReadOnlyDictionary<string, string> metadata) =>
        metadata.Count == 0 ? "{}" : JsonSerializer.Serialize(metadata);

    /// <summary>Reads the <see cref="UserColumns.Selected"/> of the current row.</summary>
    public static UserRecord ReadUser(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetBoolean(5),
        reader.GetFieldValue<string[]>(6),
        UserColumns.ReadMetadata(reader.GetString(7)),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        StoreTime.FromMicros(reader.GetInt64(8)),
        StoreTime.FromMicros(reader.GetInt64(9)),
        reader.GetInt64(10));

    public static NpgsqlParameter SortParameter(UserOrderField field, string value) => field switch
    {
        UserOrderField.CreatedAt or UserOrderField.Id => new NpgsqlParameter<long> { TypedValue = long.Parse(value, CultureInfo.InvariantCulture) },
        _ => new NpgsqlParameter<string> { TypedValue = value },
    };
}
