using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tessera.Users.Filtering;
using static SQLitePCL.raw;

namespace Tessera.Users.Storage.Sqlite;

/// <summary>
/// The <c>users</c> table's SQL: rows in and out, the case-folded keys that uniqueness and filters use, and unique
/// violations turned into the field that clashed.
/// </summary>
internal static class SqliteUserRows
{
    public static UserRecord Insert(WriterStatements statements, SqliteTransaction transaction, NewUser user, DateTimeOffset now)
    {
        var command = statements.Get(transaction, """
            INSERT INTO users (username, username_key, email, email_key, full_name, full_name_key, nickname, nickname_key, is_active, roles, metadata, password_hash, created_at, updated_at, version)
            VALUES ($username, $username_key, $email, $email_key, $full_name, $full_name_key, $nickname, $nickname_key, $is_active, $roles, $metadata, $password_hash, $now, $now, 1)
            RETURNING id
            """);
        BindFields(command, user.Username, user.Email, user.FullName, user.Nickname, user.IsActive, user.Roles, user.Metadata);
        command.Parameters.AddWithValue("$password_hash", (object?)user.PasswordHash ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", StoreTime.ToMicros(now));
        var id = (long)ExecuteUnique(command, user.Username, 0, c => c.ExecuteScalar())!;
        return new UserRecord(id, user.Username, user.Email, user.FullName, user.IsActive, user.Roles, user.Metadata, user.Nickname, now, now, 1);
    }

    /// <summary>
    /// Writes every field of <paramref name="user"/> (and the password hash when given), advancing the security stamp
    /// when the roles change, the user is deactivated, or the password is set: what
    /// <see cref="Auth.TokenRevocation"/> compares access tokens against. The stamp expression is evaluated against
    /// the row before the update, as SQLite does.
    /// </summary>
    public static void Update(SqliteTransaction transaction, UserRecord user, string? newPasswordHash)
    {
        var stampBump = newPasswordHash is not null ? "1" : "(CASE WHEN roles <> $roles OR (is_active = 1 AND $is_active = 0) THEN 1 ELSE 0 END)";
        using var command = SqliteDatabase.Command(transaction, $"""
            UPDATE users SET username = $username, username_key = $username_key, email = $email, email_key = $email_key,
                full_name = $full_name, full_name_key = $full_name_key, nickname = $nickname, nickname_key = $nickname_key, is_active = $is_active, roles = $roles, metadata = $metadata,
                updated_at = $updated_at, version = $version{(newPasswordHash is null ? "" : ", password_hash = $password_hash")},
                security_stamp = security_stamp + {stampBump}
            WHERE id = $id
            """);
        BindFields(command, user.Username, user.Email, user.FullName, user.Nickname, user.IsActive, user.Roles, user.Metadata);
        command.Parameters.AddWithValue("$updated_at", StoreTime.ToMicros(user.UpdatedAt));
        command.Parameters.AddWithValue("$version", user.Version);
        command.Parameters.AddWithValue("$id", user.Id);
        if (newPasswordHash is not null)
        {
            command.Parameters.AddWithValue("$password_hash", newPasswordHash);
        }

        ExecuteUnique(command, user.Username, user.Id, c => c.ExecuteNonQuery());
    }

    public static void Delete(SqliteTransaction transaction, long id)
    {
        using var command = SqliteDatabase.Command(transaction, "DELETE FROM users WHERE id = $id");
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }

    public static UserRecord? Find(SqliteTransaction transaction, long id)
    {
        using var command = SqliteDatabase.Command(transaction, $"SELECT {UserColumns.Selected} FROM users WHERE id = $id");
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadUser(reader) : null;
    }

    /// <summary>Reads the <see cref="UserColumns.Selected"/> of the current row.</summary>
    public static UserRecord ReadUser(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetInt64(5) != 0,
        ReadRoles(reader.GetString(6)),
        UserColumns.ReadMetadata(reader.GetString(7)),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        StoreTime.FromMicros(reader.GetInt64(8)),
        StoreTime.FromMicros(reader.GetInt64(9)),
        reader.GetInt64(10));

    public static object SortParameter(UserOrderField field, string value) => field switch
    {
        UserOrderField.CreatedAt or UserOrderField.Id => long.Parse(value, CultureInfo.InvariantCulture),
        _ => value,
    };

    private static void BindFields(
        SqliteCommand command,
        string username,
        string email,
        string fullName,
        string? nickname,
        bool isActive,
        IReadOnlyList<string> roles,
        IReadOnlyDictionary<string, string> metadata)
    {
        command.Parameters.AddWithValue("$username", username);
        command.Parameters.AddWithValue("$username_key", FilterEvaluator.Fold(username));
        command.Parameters.AddWithValue("$email", email);
        command.Parameters.AddWithValue("$email_key", FilterEvaluator.Fold(email));
        command.Parameters.AddWithValue("$full_name", fullName);
        command.Parameters.AddWithValue("$full_name_key", FilterEvaluator.Fold(fullName));
        command.Parameters.AddWithValue("$nickname", (object?)nickname ?? DBNull.Value);
        command.Parameters.AddWithValue("$nickname_key", FilterEvaluator.Fold(nickname ?? ""));
        command.Parameters.AddWithValue("$is_active", isActive ? 1 : 0);
        command.Parameters.AddWithValue("$roles", JsonSerializer.Serialize(roles));
        command.Parameters.AddWithValue("$metadata", JsonSerializer.Serialize(metadata));
    }

    /// <summary>
    /// Runs a statement and turns a unique-index violation (SQLITE_CONSTRAINT_UNIQUE) into the field that clashed;
    /// when both username and email clash, the username is named (SQLite reports whichever index it checked first).
    /// </summary>
    private static T ExecuteUnique<T>(SqliteCommand command, string username, long selfId, Func<SqliteCommand, T> run)
    {
        try
        {
            return run(command);
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode == SQLITE_CONSTRAINT_UNIQUE)
        {
            using var check = command.Connection!.CreateCommand();
            check.Transaction = command.Transaction;
            check.CommandText = "SELECT EXISTS (SELECT 1 FROM users WHERE username_key = $key AND id <> $self)";
            check.Parameters.AddWithValue("$key", FilterEvaluator.Fold(username));
            check.Parameters.AddWithValue("$self", selfId);
            throw new UniqueViolationException((long)check.ExecuteScalar()! == 1 ? "username" : "email");
        }
    }

    /// <summary>Most users have no roles and no metadata; those skip the JSON parser.</summary>
    private static string[] ReadRoles(string json) => json == "[]" ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];
}
