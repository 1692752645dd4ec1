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
    /// <summary>
    /// Inserts a new user (version 1, created and updated <paramref name="now"/>) with the next id; its username and
    /// email keys (<see cref="FilterEvaluator.Fold"/>) come folded already, as the caller needed them too.
    /// </summary>
    /// <exception cref="UniqueViolationException">username or email is taken.</exception>
    public static UserRecord Insert(WriterStatements statements, NewUser user, string usernameKey, string emailKey, DateTimeOffset now)
    {
        var insert = statements.Raw("""
            INSERT INTO users (username, username_key, email, email_key, full_name, full_name_key, nickname, nickname_key, is_active, roles, metadata, password_hash, created_at, updated_at, version)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, 1)
            RETURNING id
            """)
            .Bind(1, user.Username).Bind(2, usernameKey)
            .Bind(3, user.Email).Bind(4, emailKey)
            .Bind(5, user.FullName).Bind(6, FilterEvaluator.Fold(user.FullName))
            .Bind(7, user.Nickname).Bind(8, FilterEvaluator.Fold(user.Nickname ?? ""))
            .Bind(9, user.IsActive ? 1 : 0).Bind(10, RolesJson(user.Roles)).Bind(11, MetadataJson(user.Metadata))
            .Bind(12, user.PasswordHash).Bind(13, StoreTime.ToMicros(now));
        var id = ExecuteUnique(statements, user.Username, 0, () => insert.Execute()!.Value);
        return new UserRecord(id, user.Username, user.Email, user.FullName, user.IsActive, user.Roles, user.Metadata, user.Nickname, now, now, 1);
    }

    /// <summary>Those of <paramref name="keys"/> that a user already has in the folded, unique <paramref name="column"/>.</summary>
    public static HashSet<string> FindTaken(WriterStatements statements, SqliteTransaction transaction, string column, IEnumerable<string> keys)
    {
        var command = statements.Get(transaction, $"SELECT {column} FROM users WHERE {column} IN (SELECT value FROM json_each($keys))");
        command.Parameters.AddWithValue("$keys", JsonSerializer.Serialize(keys.Distinct(StringComparer.Ordinal)));
        var taken = new HashSet<string>(StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            taken.Add(reader.GetString(0));
        }

        return taken;
    }

    /// <summary>
    /// Writes every field of <paramref name="user"/> (and the password hash when given), advancing the security stamp
    /// when the roles change, the user is deactivated, or the password is set: what
    /// <see cref="Auth.TokenRevocation"/> compares access tokens against. The stamp expression is evaluated against
    /// the row before the update, as SQLite does.
    /// </summary>
    public static void Update(WriterStatements statements, SqliteTransaction transaction, UserRecord user, string? newPasswordHash)
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

        ExecuteUnique(statements, user.Username, user.Id, command.ExecuteNonQuery);
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
    public static UserRecord ReadUser(SqliteDataReader reader) => ReadUser(new DataReaderRow(reader));

    /// <summary>Reads the <see cref="UserColumns.Selected"/> of a row, from a data reader or a raw statement (listing's path).</summary>
    public static UserRecord ReadUser<TRow>(TRow row)
        where TRow : IUserRow => new(
        row.Int64(0),
        row.Text(1),
        row.Text(2),
        row.Text(3),
        row.Int64(5) != 0,
        ReadRoles(row.Text(6)),
        UserColumns.ReadMetadata(row.Text(7)),
        row.IsNull(4) ? null : row.Text(4),
        StoreTime.FromMicros(row.Int64(8)),
        StoreTime.FromMicros(row.Int64(9)),
        row.Int64(10));

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
        command.Parameters.AddWithValue("$roles", RolesJson(roles));
        command.Parameters.AddWithValue("$metadata", MetadataJson(metadata));
    }

    /// <summary>
    /// Runs a write and turns a unique-index violation (SQLITE_CONSTRAINT_UNIQUE) into the field that clashed; when
    /// both username and email clash, the username is named (SQLite reports whichever index it checked first).
    /// </summary>
    private static T ExecuteUnique<T>(WriterStatements statements, string username, long selfId, Func<T> run)
    {
        try
        {
            return run();
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode == SQLITE_CONSTRAINT_UNIQUE)
        {
            var usernameTaken = statements.Raw("SELECT EXISTS (SELECT 1 FROM users WHERE username_key = ?1 AND id <> ?2)")
                .Bind(1, FilterEvaluator.Fold(username)).Bind(2, selfId).Execute() == 1;
            throw new UniqueViolationException(usernameTaken ? "username" : "email");
        }
    }

    /// <summary>Most users have no roles and no metadata; those skip the JSON serializer too.</summary>
    private static string RolesJson(IReadOnlyList<string> roles) => roles.Count == 0 ? "[]" : JsonSerializer.Serialize(roles);

    private static string MetadataJson(IReadOnlyDictionary<string, string> metadata) => metadata.Count == 0 ? "{}" : JsonSerializer.Serialize(metadata);

    /// <summary>Most users have no roles and no metadata; those skip the JSON parser.</summary>
    private static string[] ReadRoles(string json) => json == "[]" ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];

    private readonly struct DataReaderRow(SqliteDataReader reader) : IUserRow
    {
        public long Int64(int column) => reader.GetInt64(column);

        public string Text(int column) => reader.GetString(column);

        public bool IsNull(int column) => reader.IsDBNull(column);
    }
}

/// <summary>The columns of the current row, however it is being read.</summary>
internal interface IUserRow
{
    long Int64(int column);

    string Text(int column);

    bool IsNull(int column);
}
