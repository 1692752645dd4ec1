using Microsoft.Data.Sqlite;

namespace Tessera.Users.Storage.Sqlite;

/// <summary>Refresh tokens (<c>refresh_tokens</c>) in the same SQLite file, written through the store's single writer.</summary>
internal sealed class SqliteRefreshTokens(GroupCommitWriter writer, Func<DateTimeOffset> now)
{
    public async Task IssueAsync(string tokenHash, string familyId, long userId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(transaction =>
        {
            InsertToken(transaction, tokenHash, familyId, userId, expiresAt);
            return (true, 0L);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RotateResult> RotateAsync(string tokenHash, string newTokenHash, DateTimeOffset newExpiresAt, CancellationToken cancellationToken)
    {
        return await writer.WriteAsync(transaction =>
        {
            using var find = SqliteDatabase.Command(transaction, "SELECT family_id, user_id, expires_at, spent_at, revoked_at FROM refresh_tokens WHERE token_hash = $hash");
            find.Parameters.AddWithValue("$hash", tokenHash);
            using var reader = find.ExecuteReader();
            if (!reader.Read())
            {
                return (new RotateResult(RotateOutcome.Unknown), 0L);
            }

            var family = reader.GetString(0);
            var userId = reader.GetInt64(1);
            var expired = StoreTime.FromMicros(reader.GetInt64(2)) <= now();
            var used = !reader.IsDBNull(3) || !reader.IsDBNull(4);
            reader.Close();
            if (used)
            {
                RevokeFamily(transaction, family);
                return (new RotateResult(RotateOutcome.Reused, userId, family), 0L);
            }

            if (expired)
            {
                return (new RotateResult(RotateOutcome.Expired, userId, family), 0L);
            }

            using var spend = SqliteDatabase.Command(transaction, "UPDATE refresh_tokens SET spent_at = $now WHERE token_hash = $hash");
            spend.Parameters.AddWithValue("$now", StoreTime.ToMicros(now()));
            spend.Parameters.AddWithValue("$hash", tokenHash);
            spend.ExecuteNonQuery();
            InsertToken(transaction, newTokenHash, family, userId, newExpiresAt);
            return (new RotateResult(RotateOutcome.Rotated, userId, family), 0L);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RevokeFamilyAsync(string tokenHash, CancellationToken cancellationToken)
    {
        return await writer.WriteAsync(transaction =>
        {
            using var find = SqliteDatabase.Command(transaction, "SELECT family_id FROM refresh_tokens WHERE token_hash = $hash");
            find.Parameters.AddWithValue("$hash", tokenHash);
            if (find.ExecuteScalar() is not string family)
            {
                return (false, 0L);
            }

            RevokeFamily(transaction, family);
            return (true, 0L);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> RevokeAllAsync(long userId, CancellationToken cancellationToken)
    {
        return await writer.WriteAsync(transaction =>
        {
            using var revoke = SqliteDatabase.Command(transaction, "UPDATE refresh_tokens SET revoked_at = $now WHERE user_id = $user AND revoked_at IS NULL");
            revoke.Parameters.AddWithValue("$now", StoreTime.ToMicros(now()));
            revoke.Parameters.AddWithValue("$user", userId);
            return (revoke.ExecuteNonQuery(), 0L);
        }, cancellationToken).ConfigureAwait(false);
    }

    private void InsertToken(SqliteTransaction transaction, string tokenHash, string familyId, long userId, DateTimeOffset expiresAt)
    {
        using var insert = SqliteDatabase.Command(transaction, "INSERT INTO refresh_tokens (token_hash, family_id, user_id, issued_at, expires_at) VALUES ($hash, $family, $user, $now, $expires)");
        insert.Parameters.AddWithValue("$hash", tokenHash);
        insert.Parameters.AddWithValue("$family", familyId);
        insert.Parameters.AddWithValue("$user", userId);
        insert.Parameters.AddWithValue("$now", StoreTime.ToMicros(now()));
        insert.Parameters.AddWithValue("$expires", StoreTime.ToMicros(expiresAt));
        insert.ExecuteNonQuery();
    }

    private void RevokeFamily(SqliteTransaction transaction, string family)
    {
        using var revoke = SqliteDatabase.Command(transaction, "UPDATE refresh_tokens SET revoked_at = $now WHERE family_id = $family AND revoked_at IS NULL");
        revoke.Parameters.AddWithValue("$now", StoreTime.ToMicros(now()));
        revoke.Parameters.AddWithValue("$family", family);
        revoke.ExecuteNonQuery();
    }
}
