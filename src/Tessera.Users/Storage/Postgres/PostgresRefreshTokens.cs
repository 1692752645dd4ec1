using Npgsql;

namespace Tessera.Users.Storage.Postgres;

/// <summary>
/// Refresh tokens (<c>refresh_tokens</c>) on PostgreSQL, each call in its own short transaction on a pooled
/// connection (they touch no user and no change log, so they need not wait for a group commit). Rotation locks the
/// presented token's row (<c>FOR UPDATE</c>), so two replicas rotating one token at once are serialized: the second
/// finds it spent and revokes the family, as on SQLite.
/// </summary>
internal sealed class PostgresRefreshTokens(NpgsqlDataSource dataSource, Func<DateTimeOffset> now)
{
    public async Task IssueAsync(string tokenHash, string familyId, long userId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await InsertAsync(connection, tokenHash, familyId, userId, expiresAt, cancellationToken);
    }

    public async Task<RotateResult> RotateAsync(string tokenHash, string newTokenHash, DateTimeOffset newExpiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        string family;
        long userId;
        bool expired, used;
        await using (var find = new NpgsqlCommand("SELECT family_id, user_id, expires_at, spent_at IS NOT NULL OR revoked_at IS NOT NULL FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE", connection))
        {
            find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tokenHash });
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return new RotateResult(RotateOutcome.Unknown);
            }

            family = reader.GetString(0);
            userId = reader.GetInt64(1);
            expired = StoreTime.FromMicros(reader.GetInt64(2)) <= now();
            used = reader.GetBoolean(3);
        }

        if (used)
        {
            await RevokeFamilyAsync(connection, family, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new RotateResult(RotateOutcome.Reused, userId, family);
        }

        if (expired)
        {
            return new RotateResult(RotateOutcome.Expired, userId, family);
        }

        await using (var spend = new NpgsqlCommand("UPDATE refresh_tokens SET spent_at = $1 WHERE token_hash = $2", connection))
        {
            spend.Parameters.Add(new NpgsqlParameter<long> { TypedValue = StoreTime.ToMicros(now()) });
            spend.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tokenHash });
            await spend.ExecuteNonQueryAsync(cancellationToken);
        }

        await InsertAsync(connection, newTokenHash, family, userId, newExpiresAt, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RotateResult(RotateOutcome.Rotated, userId, family);
    }

    public async Task<bool> RevokeFamilyAsync(string tokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            UPDATE refresh_tokens SET revoked_at = COALESCE(revoked_at, $2)
            WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tokenHash });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = StoreTime.ToMicros(now()) });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<int> RevokeAllAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("UPDATE refresh_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = StoreTime.ToMicros(now()) });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = userId });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task InsertAsync(NpgsqlConnection connection, string tokenHash, string familyId, long userId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand("INSERT INTO refresh_tokens (token_hash, family_id, user_id, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5)", connection);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tokenHash });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = familyId });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = userId });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = StoreTime.ToMicros(now()) });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = StoreTime.ToMicros(expiresAt) });
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task RevokeFamilyAsync(NpgsqlConnection connection, string family, CancellationToken cancellationToken)
    {
        await using var revoke = new NpgsqlCommand("UPDATE refresh_tokens SET revoked_at = $1 WHERE family_id = $2 AND revoked_at IS NULL", connection);
        revoke.Parameters.Add(new NpgsqlParameter<long> { TypedValue = StoreTime.ToMicros(now()) });
        revoke.Parameters.Add(new NpgsqlParameter<string> { TypedValue = family });
        await revoke.ExecuteNonQueryAsync(cancellationToken);
    }
}
