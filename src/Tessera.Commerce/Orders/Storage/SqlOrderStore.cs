using System.Data.Common;
using Tessera.Users.Storage;

namespace Tessera.Commerce.Orders.Storage;

/// <summary>
/// The order store over ADO.NET, shared by both engines (same tables, same statements: <see cref="OrderSql"/>). An
/// engine supplies its connections (a transaction on SQLite takes the write lock at once: BEGIN IMMEDIATE) and how a recovery claim skips rows another replica is
/// claiming. Every query is cancelled by its call's token.
/// </summary>
public abstract class SqlOrderStore : IOrderStore
{
    /// <summary>A connection of the engine's pool, open, on the orders tables.</summary>
    protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>What the claim's inner SELECT ends with so that concurrent claimers skip each other's rows (or nothing).</summary>
    protected abstract string ClaimLockClause { get; }

    public async Task<OrderCreation> CreateAsync(OrderRecord order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        using var span = OrdersTelemetry.Store("create");
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = OrderSql.Command(connection, transaction, OrderSql.Insert))
        {
            OrderSql.Bind(insert, order);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                // The request_id was used before (perhaps by a call still running): answer that order.
                await using var existing = OrderSql.Command(connection, transaction, OrderSql.SelectByRequest);
                OrderSql.Add(existing, "user_id", order.UserId);
                OrderSql.Add(existing, "request_id", order.RequestId);
                var found = await ReadOrdersAsync(connection, transaction, existing, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return new OrderCreation(found.Single(), Created: false);
            }
        }

        for (var i = 0; i < order.Lines.Count; i++)
        {
            await using var line = OrderSql.Command(connection, transaction, OrderSql.InsertLine);
            OrderSql.Add(line, "order_id", order.OrderId);
            OrderSql.Add(line, "line_no", i);
            OrderSql.Add(line, "sku", order.Lines[i].Sku);
            OrderSql.Add(line, "quantity", order.Lines[i].Quantity);
            OrderSql.Add(line, "unit_price_minor", order.Lines[i].UnitPriceMinor);
            await line.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new OrderCreation(order, Created: true);
    }

    public async Task<OrderRecord?> GetAsync(string orderId, CancellationToken cancellationToken)
    {
        using var span = OrdersTelemetry.Store("get");
        await using var connection = await OpenAsync(cancellationToken);
        await using var select = OrderSql.Command(connection, null, OrderSql.SelectById);
        OrderSql.Add(select, "order_id", orderId);
        return (await ReadOrdersAsync(connection, null, select, cancellationToken)).SingleOrDefault();
    }

    public async Task<bool> UpdateAsync(OrderRecord next, bool withLines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        using var span = OrdersTelemetry.Store("update");
        span?.SetTag("order.id", next.OrderId);
        span?.SetTag("order.step", next.Step.ToString());
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var update = OrderSql.Command(connection, transaction, OrderSql.Update))
        {
            OrderSql.Bind(update, next);
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        if (withLines)
        {
            for (var i = 0; i < next.Lines.Count; i++)
            {
                await using var line = OrderSql.Command(connection, transaction, OrderSql.UpdateLinePrice);
                OrderSql.Add(line, "order_id", next.OrderId);
                OrderSql.Add(line, "line_no", i);
                OrderSql.Add(line, "unit_price_minor", next.Lines[i].UnitPriceMinor);
                await line.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<OrderRecord>> ListAsync(OrderQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var span = OrdersTelemetry.Store("list");
        await using var connection = await OpenAsync(cancellationToken);
        await using var select = OrderSql.Command(connection, null, OrderSql.List(query));
        if (query.UserId is { } userId) OrderSql.Add(select, "user_id", userId);
        if (query.After is { } after)
        {
            OrderSql.Add(select, "after_created", StoreTime.ToMicros(after.CreatedAt));
            OrderSql.Add(select, "after_id", after.OrderId);
        }

        OrderSql.Add(select, "limit", query.Limit);
        return await ReadOrdersAsync(connection, null, select, cancellationToken);
    }

    public async Task<IReadOnlyList<OrderRecord>> ClaimForRecoveryAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken)
    {
        using var span = OrdersTelemetry.Store("claim");
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var claimed = new List<string>();
        await using (var claim = OrderSql.Command(connection, transaction, OrderSql.Claim(ClaimLockClause)))
        {
            OrderSql.Add(claim, "now", StoreTime.ToMicros(now));
            OrderSql.Add(claim, "lease_until", StoreTime.ToMicros(leaseUntil));
            OrderSql.Add(claim, "limit", limit);
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(reader.GetString(0));
            }
        }

        var orders = new List<OrderRecord>(claimed.Count);
        foreach (var orderId in claimed)
        {
            await using var select = OrderSql.Command(connection, transaction, OrderSql.SelectById);
            OrderSql.Add(select, "order_id", orderId);
            orders.AddRange(await ReadOrdersAsync(connection, transaction, select, cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        span?.SetTag("orders.claimed", orders.Count);
        return orders;
    }

    /// <summary>The orders <paramref name="select"/> returns (in its order), each with its lines.</summary>
    private static async Task<IReadOnlyList<OrderRecord>> ReadOrdersAsync(
        DbConnection connection, DbTransaction? transaction, DbCommand select, CancellationToken cancellationToken)
    {
        var orders = new List<OrderRecord>();
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                orders.Add(OrderSql.Read(reader, []));
            }
        }

        if (orders.Count == 0)
        {
            return orders;
        }

        var lines = orders.ToDictionary(order => order.OrderId, _ => new List<OrderLineRecord>(), StringComparer.Ordinal);
        await using (var selectLines = OrderSql.Command(connection, transaction, OrderSql.Lines(orders.Count)))
        {
            for (var i = 0; i < orders.Count; i++)
            {
                OrderSql.Add(selectLines, $"o{i}", orders[i].OrderId);
            }

            await using var reader = await selectLines.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                lines[reader.GetString(0)].Add(new OrderLineRecord(reader.GetString(2), reader.GetInt32(3), reader.GetInt64(4)));
            }
        }

        return orders.Select(order => order with { Lines = lines[order.OrderId] }).ToList();
    }
}
