using Npgsql;
using Tessera.Users.Filtering;

namespace Tessera.Users.Storage.Postgres;

/// <summary>
/// Every create of one group commit (CreateUser calls and bulk creates alike), set-based: a handful of statements
/// whatever the number of users, no savepoints. The semantics are those of creating the items one after the other:
/// <list type="number">
/// <item>Request ids are claimed first (<c>INSERT … ON CONFLICT DO NOTHING</c> of a placeholder row, which waits for
/// any transaction that holds the same id): an id this group could not claim is used, and its item replays the
/// stored result or is a mismatch. An id used earlier in the group replays that item.</item>
/// <item>Usernames and emails repeated within the group clash with their first use; the rest are inserted in one
/// multi-row <c>INSERT … ON CONFLICT DO NOTHING RETURNING</c>, ids ascending in item order; a row not returned clashed
/// with a committed user, and one query tells which field.</item>
/// <item>Claims become the created user's record; claims of items that did not create are released, so a failed
/// create does not consume its request id.</item>
/// </list>
/// </summary>
internal static class BulkCreator
{
    public static async Task RunAsync(WriteScope scope, IReadOnlyList<PendingCreate> calls, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connection = scope.Connection;
        var requestIds = calls.SelectMany(call => call.Items).Select(item => item.RequestId).OfType<string>().Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal) // one order on every replica: claims cannot deadlock each other
            .ToArray();
        var claimed = requestIds.Length == 0 ? [] : await ClaimAsync(connection, requestIds, cancellationToken);
        var used = requestIds.Length == claimed.Count
            ? []
            : await ReadUsedAsync(connection, [.. requestIds.Where(id => !claimed.Contains(id))], cancellationToken);

        // Decide each item in order, in memory.
        var byRequest = new Dictionary<string, ItemOutcome>(StringComparer.Ordinal);
        var usernames = new HashSet<string>(StringComparer.Ordinal);
        var emails = new HashSet<string>(StringComparer.Ordinal);
        var inserts = new List<(NewUser User, ItemOutcome Outcome)>();
        var clashes = new List<(NewUser User, ItemOutcome Outcome, string Repeated)>();
        foreach (var call in calls)
        {
            call.Failure = null;
            call.Outcomes = new ItemOutcome[call.Items.Count];
            if (FindUnknownReplay(call, used, byRequest) is { } unknown)
            {
                // The caller skipped hashing the password because this request id was used; the log is never pruned.
                call.Failure = new InvalidOperationException($"request id '{unknown}' was reported used but is not in the log");
                continue;
            }

            for (var i = 0; i < call.Items.Count; i++)
            {
                var (user, requestId, _) = call.Items[i];
                var outcome = call.Outcomes[i] = new ItemOutcome();
                if (requestId is not null && used.TryGetValue(requestId, out var earlier))
                {
                    SettleReplay(outcome, user, earlier);
                    continue;
                }

                if (requestId is not null && byRequest.TryGetValue(requestId, out var first))
                {
                    outcome.ReplayOf = first;
                    continue;
                }

                outcome.Request = user;
                if (requestId is not null)
                {
                    byRequest[requestId] = outcome;
                }

                var usernameKey = FilterEvaluator.Fold(user.Username);
                var emailKey = FilterEvaluator.Fold(user.Email);
                if (usernames.Contains(usernameKey) || emails.Contains(emailKey))
                {
                    clashes.Add((user, outcome, usernames.Contains(usernameKey) ? "username" : "email"));
                    continue;
                }

                usernames.Add(usernameKey);
                emails.Add(emailKey);
                inserts.Add((user, outcome));
            }
        }

        await InsertAsync(connection, inserts, now, clashes, cancellationToken);
        if (clashes.Count > 0)
        {
            await NameClashesAsync(connection, clashes, cancellationToken);
        }

        // Replays of an item of this group follow it; then the request log and the change log.
        foreach (var call in calls.Where(call => call.Failure is null))
        {
            for (var i = 0; i < call.Items.Count; i++)
            {
                var outcome = call.Outcomes[i];
                if (outcome.ReplayOf is not { } first)
                {
                    continue;
                }

                if (first.Outcome == BulkItemOutcome.Created)
                {
                    SettleReplay(outcome, call.Items[i].User, first.User!);
                }
                else if (SameNames(first.Request!.Username, first.Request.Email, call.Items[i].User))
                {
                    // The first could not create, and this one has its username and email: it clashes the same way.
                    outcome.Outcome = BulkItemOutcome.Conflict;
                    outcome.ConflictField = first.ConflictField;
                }
                else
                {
                    // One request id for two different users in one group whose first could not create: SQLite would
                    // try the second as a create; here it is refused as a misused request id.
                    outcome.Outcome = BulkItemOutcome.RequestIdMismatch;
                }
            }
        }

        if (claimed.Count > 0)
        {
            RecordRequests(scope, byRequest, claimed, now);
        }

        foreach (var (_, outcome) in inserts.Where(insert => insert.Outcome.Outcome == BulkItemOutcome.Created))
        {
            outcome.Change = scope.Append(ChangeType.Created, outcome.User!, now);
        }
    }

    /// <summary>The first replay-only item of <paramref name="call"/> whose request id is neither used nor created earlier in the call.</summary>
    private static string? FindUnknownReplay(PendingCreate call, Dictionary<string, UserRecord> used, Dictionary<string, ItemOutcome> byRequest)
    {
        var earlierInCall = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, requestId, replayOnly) in call.Items)
        {
            if (requestId is null)
            {
                continue;
            }

            if (replayOnly && !used.ContainsKey(requestId) && !byRequest.ContainsKey(requestId) && !earlierInCall.Contains(requestId))
            {
                return requestId;
            }

            earlierInCall.Add(requestId);
        }

        return null;
    }

    private static void SettleReplay(ItemOutcome outcome, NewUser user, UserRecord earlier)
    {
        var same = SameNames(earlier.Username, earlier.Email, user);
        outcome.Outcome = same ? BulkItemOutcome.Replayed : BulkItemOutcome.RequestIdMismatch;
        outcome.User = same ? earlier : null;
    }

    /// <summary>A replay is a create with the same username and email (case-insensitive), as on SQLite.</summary>
    private static bool SameNames(string username, string email, NewUser user) =>
        string.Equals(username, user.Username, StringComparison.OrdinalIgnoreCase)
        && string.Equals(email, user.Email, StringComparison.OrdinalIgnoreCase);

    /// <summary>Claims unused request ids with placeholder rows; returns those this transaction now holds.</summary>
    private static async Task<HashSet<string>> ClaimAsync(NpgsqlConnection connection, string[] requestIds, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO create_requests (request_id, user_id, snapshot, created_at) SELECT unnest($1::text[]), 0, '', 0 ON CONFLICT DO NOTHING RETURNING request_id",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = requestIds });
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(reader.GetString(0));
        }

        return claimed;
    }

    /// <summary>The first results of request ids that committed creates used.</summary>
    private static async Task<Dictionary<string, UserRecord>> ReadUsedAsync(NpgsqlConnection connection, string[] requestIds, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT request_id, snapshot FROM create_requests WHERE request_id = ANY($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = requestIds });
        var used = new Dictionary<string, UserRecord>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            used[reader.GetString(0)] = UserSnapshots.Deserialize(reader.GetString(1));
        }

        return used;
    }

    /// <summary>Inserts the users in item order; those not inserted (a committed user has the name) join <paramref name="clashes"/>.</summary>
    private static async Task InsertAsync(
        NpgsqlConnection connection,
        List<(NewUser User, ItemOutcome Outcome)> inserts,
        DateTimeOffset now,
        List<(NewUser User, ItemOutcome Outcome, string Repeated)> clashes,
        CancellationToken cancellationToken)
    {
        if (inserts.Count == 0)
        {
            return;
        }

        var n = inserts.Count;
        string[] usernames = new string[n], usernameKeys = new string[n], emails = new string[n], emailKeys = new string[n];
        string[] fullNames = new string[n], fullNameKeys = new string[n], nicknameKeys = new string[n], roles = new string[n], metadata = new string[n];
        var nicknames = new string?[n];
        var hashes = new string?[n];
        var active = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var user = inserts[i].User;
            usernames[i] = user.Username;
            usernameKeys[i] = FilterEvaluator.Fold(user.Username);
            emails[i] = user.Email;
            emailKeys[i] = FilterEvaluator.Fold(user.Email);
            fullNames[i] = user.FullName;
            fullNameKeys[i] = FilterEvaluator.Fold(user.FullName);
            nicknames[i] = user.Nickname;
            nicknameKeys[i] = FilterEvaluator.Fold(user.Nickname ?? "");
            active[i] = user.IsActive;
            roles[i] = System.Text.Json.JsonSerializer.Serialize(user.Roles);
            metadata[i] = PostgresUserRows.MetadataJson(user.Metadata);
            hashes[i] = user.PasswordHash;
        }

        // Roles travel as JSON text per row (unnest would flatten a two-dimensional array).
        await using var command = new NpgsqlCommand("""
            INSERT INTO users (username, username_key, email, email_key, full_name, full_name_key, nickname, nickname_key, is_active, roles, metadata, password_hash, created_at, updated_at, version)
            SELECT u.username, u.username_key, u.email, u.email_key, u.full_name, u.full_name_key, u.nickname, u.nickname_key, u.is_active,
                   ARRAY(SELECT jsonb_array_elements_text(u.roles::jsonb)), u.metadata::jsonb, u.password_hash, $13, $13, 1
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::boolean[], $10::text[], $11::text[], $12::text[])
                WITH ORDINALITY AS u(username, username_key, email, email_key, full_name, full_name_key, nickname, nickname_key, is_active, roles, metadata, password_hash, n)
            ORDER BY u.n
            ON CONFLICT DO NOTHING
            RETURNING id, username_key
            """, connection);
        foreach (var array in new object[] { usernames, usernameKeys, emails, emailKeys, fullNames, fullNameKeys, nicknames, nicknameKeys, active, roles, metadata, hashes })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = array });
        }

        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = StoreTime.ToMicros(now) });
        var ids = new Dictionary<string, long>(n, StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids[reader.GetString(1)] = reader.GetInt64(0);
            }
        }

        for (var i = 0; i < n; i++)
        {
            var (user, outcome) = inserts[i];
            if (ids.TryGetValue(usernameKeys[i], out var id))
            {
                outcome.Outcome = BulkItemOutcome.Created;
                outcome.User = new UserRecord(id, user.Username, user.Email, user.FullName, user.IsActive, user.Roles, user.Metadata, user.Nickname, now, now, 1);
            }
            else
            {
                clashes.Add((user, outcome, "username"));
            }
        }

    }

    /// <summary>Names the field each clash is on, as the database now has it: the username when both are taken.</summary>
    private static async Task NameClashesAsync(NpgsqlConnection connection, List<(NewUser User, ItemOutcome Outcome, string Repeated)> clashes, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT username_key, email_key FROM users WHERE username_key = ANY($1) OR email_key = ANY($2)", connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. clashes.Select(c => FilterEvaluator.Fold(c.User.Username))] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. clashes.Select(c => FilterEvaluator.Fold(c.User.Email))] });
        var usernames = new HashSet<string>(StringComparer.Ordinal);
        var emails = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            usernames.Add(reader.GetString(0));
            emails.Add(reader.GetString(1));
        }

        foreach (var (user, outcome, repeated) in clashes)
        {
            outcome.Outcome = BulkItemOutcome.Conflict;
            outcome.User = null;
            outcome.ConflictField = usernames.Contains(FilterEvaluator.Fold(user.Username)) ? "username"
                : emails.Contains(FilterEvaluator.Fold(user.Email)) ? "email"
                : repeated;
        }
    }

    /// <summary>Turns the claims of creating items into their records and releases the other claims, with the commit.</summary>
    private static void RecordRequests(WriteScope scope, Dictionary<string, ItemOutcome> byRequest, HashSet<string> claimed, DateTimeOffset now)
    {
        var created = byRequest.Where(pair => claimed.Contains(pair.Key) && pair.Value.Outcome == BulkItemOutcome.Created).ToList();
        var released = claimed.Where(id => !byRequest.TryGetValue(id, out var outcome) || outcome.Outcome != BulkItemOutcome.Created).ToArray();
        if (created.Count > 0)
        {
            var record = new NpgsqlBatchCommand("""
                UPDATE create_requests AS c SET user_id = r.user_id, snapshot = r.snapshot, created_at = $4
                FROM unnest($1::text[], $2::bigint[], $3::text[]) AS r(request_id, user_id, snapshot)
                WHERE c.request_id = r.request_id
                """);
            record.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. created.Select(pair => pair.Key)] });
            record.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. created.Select(pair => pair.Value.User!.Id)] });
            record.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. created.Select(pair => UserSnapshots.Serialize(pair.Value.User!))] });
            record.Parameters.Add(new NpgsqlParameter<long> { TypedValue = StoreTime.ToMicros(now) });
            scope.Defer(record);
        }

        if (released.Length > 0)
        {
            var release = new NpgsqlBatchCommand("DELETE FROM create_requests WHERE request_id = ANY($1)");
            release.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = released });
            scope.Defer(release);
        }
    }
}
