using Npgsql;
using Tessera.Users.Auth;

namespace Tessera.Users.Storage.Postgres;

/// <summary>
/// What sign-in and token checks read besides the user (password hash, security stamp, forced password change),
/// password writes, and the last-admin guard, with the same rules as SQLite (Storage/Sqlite/SqliteCredentials.cs).
/// </summary>
public sealed partial class PostgresUserStore
{
    /// <summary>The transaction-scoped advisory lock that serializes demotions of active admins across replicas.</summary>
    private const long AdminLock = 0x7465_7373_6572_6103;

    public async Task<Credentials?> GetCredentialsAsync(long id, CancellationToken cancellationToken)
    {
        // One statement, so the user and the stamp are of the same moment.
        await using var command = Source.CreateCommand(
            $"SELECT {UserColumns.Selected}, password_hash, security_stamp, password_change_required FROM users WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Credentials(PostgresUserRows.ReadUser(reader), reader.IsDBNull(11) ? null : reader.GetString(11), reader.GetInt64(12), reader.GetBoolean(13))
            : null;
    }

    public Task<UserRecord?> SetPasswordAsync(long id, string passwordHash, bool requireChange, CancellationToken cancellationToken)
    {
        return writer.WriteAsync(async (scope, token) =>
        {
            var current = await PostgresUserRows.FindForUpdateAsync(scope.Connection, id, token);
            if (current is null)
            {
                return null;
            }

            var updated = current with { UpdatedAt = Now(), Version = current.Version + 1 };
            await using var command = new NpgsqlCommand("""
                UPDATE users SET password_hash = $1, password_change_required = $2, security_stamp = security_stamp + 1, updated_at = $3, version = $4
                WHERE id = $5
                """, scope.Connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = passwordHash });
            command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = requireChange });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = StoreTime.ToMicros(updated.UpdatedAt) });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = updated.Version });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
            await command.ExecuteNonQueryAsync(token);

            // The change event carries the user (with its new version), never the hash or the stamp: it tells every
            // token checker following the log that this user's tokens changed.
            scope.Append(ChangeType.Updated, updated, updated.UpdatedAt);
            return (UserRecord?)updated;
        }, cancellationToken);
    }

    /// <summary>
    /// Refuses a write that would leave no active admin: deleting (<paramref name="after"/> null), deactivating or
    /// demoting the last one. Writers on several replicas run concurrently, so a write that removes an active admin
    /// first takes <see cref="AdminLock"/> (held to its commit) and only then counts the others: of two replicas
    /// demoting the last two admins at once, the second counts after the first committed and finds itself the last.
    /// </summary>
    /// <exception cref="LastAdminException">the write would remove the last active admin.</exception>
    private static async Task EnsureAnAdminRemainsAsync(WriteScope scope, UserRecord current, UserRecord? after, CancellationToken cancellationToken)
    {
        if (!IsActiveAdmin(current) || (after is not null && IsActiveAdmin(after)))
        {
            return;
        }

        await using var batch = new NpgsqlBatch(scope.Connection, scope.Transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({AdminLock})"));
        var others = new NpgsqlBatchCommand("SELECT EXISTS (SELECT 1 FROM users WHERE id <> $1 AND is_active AND $2 = ANY (roles))");
        others.Parameters.Add(new NpgsqlParameter<long> { TypedValue = current.Id });
        others.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Roles.Admin });
        batch.BatchCommands.Add(others);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (!reader.GetBoolean(0))
        {
            throw new LastAdminException(current);
        }
    }

    private static bool IsActiveAdmin(UserRecord user) => user.IsActive && user.Roles.Contains(Roles.Admin, StringComparer.Ordinal);
}
