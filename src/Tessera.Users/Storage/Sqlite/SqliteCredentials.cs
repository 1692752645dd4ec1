using Microsoft.Data.Sqlite;
using Tessera.Users.Auth;

namespace Tessera.Users.Storage.Sqlite;

/// <summary>
/// What sign-in and token checks read besides the user (password hash, security stamp, forced password change),
/// password writes, and the last-admin guard. None of this is in <see cref="UserRecord"/>, so it never reaches a
/// change event or a reply.
/// </summary>
public sealed partial class SqliteUserStore
{
    public async Task<Credentials?> GetCredentialsAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        // One statement, so the user and the stamp are of the same moment: a token never pairs new roles with an old
        // stamp or the reverse.
        command.CommandText = $"SELECT {UserColumns.Selected}, password_hash, security_stamp, password_change_required FROM users WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new Credentials(SqliteUserRows.ReadUser(reader), reader.IsDBNull(11) ? null : reader.GetString(11), reader.GetInt64(12), reader.GetInt64(13) != 0)
            : null;
    }

    public async Task<UserRecord?> SetPasswordAsync(long id, string passwordHash, bool requireChange, CancellationToken cancellationToken)
    {
        return await groupWriter.WriteAsync(transaction =>
        {
            var current = SqliteUserRows.Find(transaction, id);
            if (current is null)
            {
                return ((UserRecord?)null, 0L);
            }

            var updated = current with { UpdatedAt = Now(), Version = current.Version + 1 };
            using var command = SqliteDatabase.Command(transaction, """
                UPDATE users SET password_hash = $hash, password_change_required = $required, security_stamp = security_stamp + 1,
                    updated_at = $updated_at, version = $version
                WHERE id = $id
                """);
            command.Parameters.AddWithValue("$hash", passwordHash);
            command.Parameters.AddWithValue("$required", requireChange ? 1 : 0);
            command.Parameters.AddWithValue("$updated_at", StoreTime.ToMicros(updated.UpdatedAt));
            command.Parameters.AddWithValue("$version", updated.Version);
            command.Parameters.AddWithValue("$id", id);
            command.ExecuteNonQuery();

            // The change event carries the user as before (with its new version), never the hash or the stamp; its
            // purpose here is to tell every token checker following the log that this user's tokens changed.
            return (updated, changes.Append(ChangeType.Updated, updated, updated.UpdatedAt));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Refuses a write that would leave no active admin: deleting (<paramref name="after"/> null), deactivating or
    /// demoting the last one. It runs inside the write's transaction on the single writer, so two admins demoting
    /// each other at once are serialized and the second finds itself the last.
    /// </summary>
    /// <exception cref="LastAdminException">the write would remove the last active admin.</exception>
    private static void EnsureAnAdminRemains(SqliteTransaction transaction, UserRecord current, UserRecord? after)
    {
        if (!IsActiveAdmin(current) || (after is not null && IsActiveAdmin(after)))
        {
            return;
        }

        using var others = SqliteDatabase.Command(transaction, """
            SELECT EXISTS (SELECT 1 FROM users, json_each(users.roles) AS role
                           WHERE users.id <> $id AND users.is_active = 1 AND role.value = $admin)
            """);
        others.Parameters.AddWithValue("$id", current.Id);
        others.Parameters.AddWithValue("$admin", Roles.Admin);
        if ((long)others.ExecuteScalar()! == 0)
        {
            throw new LastAdminException(current);
        }
    }

    private static bool IsActiveAdmin(UserRecord user) => user.IsActive && user.Roles.Contains(Roles.Admin, StringComparer.Ordinal);
}
