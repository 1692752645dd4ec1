using System.Data.Common;
using System.Globalization;
using Tessera.Commerce.Money;
using Tessera.Users.Filtering;
using Tessera.Users.Storage;

namespace Tessera.Commerce.Inventory;

/// <summary>
/// The inventory store's SQL, the same on both engines (ADO.NET, named parameters, <c>ON CONFLICT</c> and
/// <c>RETURNING</c>); an engine supplies its connections, its write transactions and its migrations.
/// Stock moves only by conditional updates (<c>available &gt;= @q</c>) inside one transaction that also records why,
/// and the rows of a reservation's products are always updated in SKU-key order, so concurrent writers on PostgreSQL
/// lock them in one order and cannot deadlock. Idempotency rides on unique keys: a reservation's order id and an
/// adjustment's request id are inserted first with <c>ON CONFLICT DO NOTHING</c>, so a concurrent repeat waits for the
/// first and then finds it.
/// </summary>
public abstract class DbInventoryStore(TimeProvider clock) : IInventoryStore, IStoreInitializer
{
    private const string ProductColumns = "id, sku, name, price_minor, currency, available, reserved, active, create_time, update_time, version";
    private const string ReservationColumns = "id, order_id, state, create_time, expire_time, total_minor, currency";

    public abstract Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>An open connection for reads.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a write transaction and commits it; an exception rolls it back.</summary>
    protected abstract Task<T> WriteAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken cancellationToken);

    public async Task<ProductRecord> CreateProductAsync(NewProduct product, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(product);
        using var activity = InventoryTelemetry.Source.StartActivity("inventory.create_product");
        var now = Now();
        var created = await WriteAsync(
            async tx =>
            {
                await using var command = Command(tx, $"""
                    INSERT INTO products (sku, sku_key, name, name_key, price_minor, currency, available, reserved, active, create_time, update_time, version)
                    VALUES (@sku, @key, @name, @name_key, @price, @currency, @available, 0, @active, @now, @now, 1)
                    ON CONFLICT (sku_key) DO NOTHING
                    RETURNING {ProductColumns}
                    """);
                Bind(command, "sku", product.Sku);
                Bind(command, "key", InventoryRules.Fold(product.Sku));
                Bind(command, "name", product.Name);
                Bind(command, "name_key", FilterEvaluator.Fold(product.Name));
                Bind(command, "price", product.Price.MinorUnits);
                Bind(command, "currency", product.Price.Currency);
                Bind(command, "available", product.Available);
                Bind(command, "active", product.Active);
                Bind(command, "now", now);
                return await ReadProductAsync(command, cancellationToken);
            },
            cancellationToken);
        return created ?? throw InventoryErrors.SkuTaken(product.Sku);
    }

    public async Task<ProductRecord?> GetProductAsync(string sku, CancellationToken cancellationToken)
    {
        using var activity = InventoryTelemetry.Source.StartActivity("inventory.get_product");
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {ProductColumns} FROM products WHERE sku_key = @key");
        Bind(command, "key", InventoryRules.Fold(sku));
        return await ReadProductAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<ProductRecord>> GetProductsAsync(IReadOnlyCollection<string> skus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(skus);
        using var activity = InventoryTelemetry.Source.StartActivity("inventory.check_stock");
        await using var connection = await OpenAsync(cancellationToken);
        var keys = skus.Select(InventoryRules.Fold).Distinct(StringComparer.Ordinal).ToList();
        var found = new List<ProductRecord>(keys.Count);
        foreach (var chunk in keys.Chunk(200))
        {
            await using var command = Command(connection, "");
            var names = chunk.Select((key, i) => Bind(command, $"k{i}", key));
            command.CommandText = $"SELECT {ProductColumns} FROM products WHERE sku_key IN ({string.Join(", ", names)})";
            found.AddRange(await ReadProductsAsync(command, cancellationToken));
        }

        return found;
    }

    public async Task<ProductRecord> UpdateProductAsync(ProductChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        using var activity = InventoryTelemetry.Source.StartActivity("inventory.update_product");
        var now = Now();
        return await WriteAsync(
            async tx =>
            {
                await using var command = Command(tx, "");
                var sets = new List<string> { "version = version + 1", "update_time = @now" };
                Bind(command, "now", now);
                if (change.Name is { } name)
                {
                    sets.Add("name = @name, name_key = @name_key");
                    Bind(command, "name", name);
                    Bind(command, "name_key", FilterEvaluator.Fold(name));
                }

                if (change.Price is { } price)
                {
                    sets.Add("price_minor = @price, currency = @currency");
                    Bind(command, "price", price.MinorUnits);
                    Bind(command, "currency", price.Currency);
                }

                if (change.Active is { } active)
                {
                    sets.Add("active = @active");
                    Bind(command, "active", active);
                }

                var where = "sku_key = @key";
                Bind(command, "key", InventoryRules.Fold(change.Sku));
                if (change.ExpectedVersion is { } version)
                {
                    where += " AND version = @version";
                    Bind(command, "version", version);
                }

                command.CommandText = $"UPDATE products SET {string.Join(", ", sets)} WHERE {where} RETURNING {ProductColumns}";
                return await ReadProductAsync(command, cancellationToken)
                    ?? throw (await ProductExistsAsync(tx, change.Sku, cancellationToken) ? InventoryErrors.EtagMismatch(change.Sku) : InventoryErrors.ProductNotFound(change.Sku));
            },
            cancellationToken);
    }

    public async Task<ProductRecord> AdjustStockAsync(StockAdjustment adjustment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(adjustment);
        using var activity = InventoryTelemetry.Source.StartActivity("inventory.adjust_stock");
        var now = Now();
        var key = InventoryRules.Fold(adjustment.Sku);
        return await WriteAsync(
            async tx =>
            {
                var product = await GetProductAsync(tx, key, cancellationToken) ?? throw InventoryErrors.ProductNotFound(adjustment.Sku);
                await using (var record = Command(tx, """
                    INSERT INTO stock_adjustments (sku_key, delta, reason, request_id, adjusted_at)
                    VALUES (@key, @delta, @reason, @request_id, @now)
                    ON CONFLICT (request_id) DO NOTHING
                    """))
                {
                    Bind(record, "key", key);
                    Bind(record, "delta", adjustment.Delta);
                    Bind(record, "reason", adjustment.Reason);
                    Bind(record, "request_id", (object?)adjustment.RequestId ?? DBNull.Value);
                    Bind(record, "now", now);
                    if (await record.ExecuteNonQueryAsync(cancellationToken) == 0)
                    {
                        return product;
                    }
                }

                await using var update = Command(tx, $"""
                    UPDATE products SET available = available + @delta, update_time = @now, version = version + 1
                    WHERE sku_key = @key AND available + @delta >= 0
                    RETURNING {ProductColumns}
                    """);
                Bind(update, "delta", adjustment.Delta);
                Bind(update, "now", now);
                Bind(update, "key", key);
                return await ReadProductAsync(update, cancellationToken)
                    ?? throw InventoryErrors.InsufficientStock(product.Sku, product.Available, adjustment.Delta);
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<ProductRecord>> ListProductsAsync(ProductQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var activity = InventoryTelemetry.Source.StartActivity("inventory.list_products");
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "");
        var where = ProductFilter.Where(query.Filter, command);
        var column = SortColumn(query.Order.Field);
        var direction = query.Order.Descending ? "DESC" : "ASC";
        if (query.After is { } after)
        {
            var comparison = query.Order.Descending ? "<" : ">";
            object value = query.Order.IsNumeric ? long.Parse(after.SortValue, CultureInfo.InvariantCulture) : after.SortValue;
            Bind(command, "after_value", value);
            Bind(command, "after_id", after.Id);
            where = $"({where}) AND ({column} {comparison} @after_value OR ({column} = @after_value AND id {comparison} @after_id))";
        }

        Bind(command, "limit", query.Limit);
        command.CommandText = $"SELECT {ProductColumns} FROM products WHERE {where} ORDER BY {column} {direction}, id {direction} LIMIT @limit";
        return await ReadProductsAsync(command, cancellationToken);
    }

    public async Task<int> CountProductsAsync(FilterExpression? filter, CancellationToken cancellationToken)
    {
        using var activity = InventoryTelemetry.Source.StartActivity("inventory.count_products");
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "");
        command.CommandText = $"SELECT COUNT(*) FROM products WHERE {ProductFilter.Where(filter, command)}";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>The sort value a page token keeps for <paramref name="product"/> under <paramref name="field"/>.</summary>
    public static string SortValue(ProductRecord product, ProductOrderField field)
    {
        ArgumentNullException.ThrowIfNull(product);
        return field switch
        {
            ProductOrderField.Sku => InventoryRules.Fold(product.Sku),
            ProductOrderField.Name => FilterEvaluator.Fold(product.Name),
            ProductOrderField.Available => product.Available.ToString(CultureInfo.InvariantCulture),
            ProductOrderField.Price => product.Price.MinorUnits.ToString(CultureInfo.InvariantCulture),
            _ => StoreTime.ToMicros(product.CreateTime).ToString(CultureInfo.InvariantCulture),
        };
    }

    public async Task<ReservationRecord> ReserveAsync(ReservationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfZero(request.Lines.Count);
        using var activity = InventoryTelemetry.Source.StartActivity("inventory.reserve");
        activity?.SetTag("tessera.order_id", request.OrderId);
        var wanted = request.Lines.OrderBy(l => InventoryRules.Fold(l.Sku), StringComparer.Ordinal).ToList();
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now).ToString("N");
        var created = await WriteAsync(
            async tx =>
            {
                await using (var insert = Command(tx, """
                    INSERT INTO reservations (id, order_id, state, create_time, expire_time, total_minor, currency)
                    VALUES (@id, @order_id, @state, @now, @expire, 0, '')
                    ON CONFLICT (order_id) DO NOTHING
                    """))
                {
                    Bind(insert, "id", id);
                    Bind(insert, "order_id", request.OrderId);
                    Bind(insert, "state", (int)ReservationState.Active);
                    Bind(insert, "now", StoreTime.ToMicros(now));
                    Bind(insert, "expire", StoreTime.ToMicros(now + request.Ttl));
                    if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
                    {
                        return false;
                    }
                }

                await HoldStockAsync(tx, id, request.OrderId, wanted, cancellationToken);
                return true;
            },
            cancellationToken);
        var reservation = created
            ? await GetReservationAsync(id, cancellationToken)
            : await GetReservationByOrderAsync(request.OrderId, cancellationToken);
        if (reservation is null)
        {
            throw new InvalidOperationException($"the reservation for order '{request.OrderId}' vanished after it was written");
        }

        if (!created && !SameLines(reservation.Lines, wanted))
        {
            throw InventoryErrors.ReservationMismatch(request.OrderId);
        }

        return reservation;
    }

    public Task<ReservationRecord> ReleaseAsync(string reservationId, CancellationToken cancellationToken) =>
        FinishAsync(reservationId, ReservationState.Released, cancellationToken);

    public Task<ReservationRecord> CommitAsync(string reservationId, CancellationToken cancellationToken) =>
        FinishAsync(reservationId, ReservationState.Committed, cancellationToken);

    public async Task<ReservationRecord?> GetReservationAsync(string reservationId, CancellationToken cancellationToken)
    {
        using var activity = InventoryTelemetry.Source.StartActivity("inventory.get_reservation");
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadReservationAsync(connection, null, "id = @value", reservationId, cancellationToken);
    }

    public async Task<ReservationRecord?> GetReservationByOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        using var activity = InventoryTelemetry.Source.StartActivity("inventory.get_reservation");
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadReservationAsync(connection, null, "order_id = @value", orderId, cancellationToken);
    }

    public async Task<int> SweepExpiredAsync(int batch, CancellationToken cancellationToken)
    {
        using var activity = InventoryTelemetry.Source.StartActivity("inventory.sweep");
        var now = Now();
        var due = new List<string>();
        await using (var connection = await OpenAsync(cancellationToken))
        {
            await using var command = Command(connection, "SELECT id FROM reservations WHERE state = @active AND expire_time <= @now ORDER BY expire_time LIMIT @batch");
            Bind(command, "active", (int)ReservationState.Active);
            Bind(command, "now", now);
            Bind(command, "batch", batch);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add(reader.GetString(0));
            }
        }

        var expired = 0;
        foreach (var id in due)
        {
            if (await WriteAsync(tx => TransitionAsync(tx, id, ReservationState.Expired, now, cancellationToken), cancellationToken))
            {
                expired++;
            }
        }

        activity?.SetTag("tessera.expired", expired);
        return expired;
    }

    /// <summary>Adds a parameter to <paramref name="command"/> and returns its placeholder.</summary>
    internal static string Bind(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return "@" + name;
    }

    /// <summary>Takes every line's quantity from its product's available stock, or throws (and the transaction rolls back).</summary>
    private async Task HoldStockAsync(DbTransaction tx, string id, string orderId, List<ReservedLine> lines, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        var inactive = new List<string>();
        var shortages = new List<(string Sku, long Available)>();
        var held = new List<(string Sku, string Key, int Quantity, Amount Price)>();
        foreach (var line in lines)
        {
            var key = InventoryRules.Fold(line.Sku);
            await using var take = Command(tx, """
                UPDATE products SET available = available - @quantity, reserved = reserved + @quantity
                WHERE sku_key = @key AND active = @active AND available >= @quantity
                RETURNING sku, price_minor, currency
                """);
            Bind(take, "quantity", (long)line.Quantity);
            Bind(take, "key", key);
            Bind(take, "active", true);
            await using (var reader = await take.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken))
                {
                    held.Add((reader.GetString(0), key, line.Quantity, new Amount(reader.GetInt64(1), reader.GetString(2))));
                    continue;
                }
            }

            var product = await GetProductAsync(tx, key, cancellationToken);
            if (product is null)
            {
                missing.Add(line.Sku);
            }
            else if (!product.Active)
            {
                inactive.Add(product.Sku);
            }
            else
            {
                shortages.Add((product.Sku, product.Available));
            }
        }

        if (missing.Count > 0)
        {
            throw InventoryErrors.ProductNotFound(string.Join(", ", missing));
        }

        if (inactive.Count > 0)
        {
            throw InventoryErrors.ProductInactive(string.Join(", ", inactive));
        }

        if (shortages.Count > 0)
        {
            throw InventoryErrors.OutOfStock(shortages);
        }

        if (held.Select(h => h.Price.Currency).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            throw InventoryErrors.MixedCurrencies(orderId);
        }

        Amount total;
        try
        {
            total = held.Aggregate(Amount.Zero(held[0].Price.Currency), (sum, h) => sum + (h.Price * h.Quantity));
        }
        catch (OverflowException)
        {
            throw InventoryErrors.Invalid(("lines", "the reservation's total is beyond what an amount can hold; reserve fewer items"));
        }

        foreach (var (sku, key, quantity, price) in held)
        {
            await using var insert = Command(tx, """
                INSERT INTO reservation_lines (reservation_id, sku, sku_key, quantity, price_minor)
                VALUES (@id, @sku, @key, @quantity, @price)
                """);
            Bind(insert, "id", id);
            Bind(insert, "sku", sku);
            Bind(insert, "key", key);
            Bind(insert, "quantity", quantity);
            Bind(insert, "price", price.MinorUnits);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var setTotal = Command(tx, "UPDATE reservations SET total_minor = @total, currency = @currency WHERE id = @id");
        Bind(setTotal, "total", total.MinorUnits);
        Bind(setTotal, "currency", total.Currency);
        Bind(setTotal, "id", id);
        await setTotal.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Commit or release: the transition when the reservation is active and unexpired; otherwise the state rules
    /// (idempotent repeats, refusals). Releasing one that expired unswept expires it now, giving its stock back.
    /// </summary>
    private async Task<ReservationRecord> FinishAsync(string reservationId, ReservationState target, CancellationToken cancellationToken)
    {
        using var activity = InventoryTelemetry.Source.StartActivity(target == ReservationState.Committed ? "inventory.commit" : "inventory.release");
        activity?.SetTag("tessera.reservation_id", reservationId);
        var now = Now();
        return await WriteAsync(
            async tx =>
            {
                if (!await TransitionAsync(tx, reservationId, target, now, cancellationToken))
                {
                    var current = await ReadReservationAsync(tx.Connection!, tx, "id = @value", reservationId, cancellationToken)
                        ?? throw InventoryErrors.ReservationNotFound(reservationId);
                    switch (target, current.State)
                    {
                        case (ReservationState.Committed, ReservationState.Expired):
                            throw InventoryErrors.ReservationExpired(reservationId);
                        case (ReservationState.Committed, ReservationState.Released):
                            throw InventoryErrors.ReservationReleased(reservationId);
                        case (ReservationState.Released, ReservationState.Committed):
                            throw InventoryErrors.ReservationCommitted(reservationId);
                        case (ReservationState.Released, ReservationState.Expired):
                            await TransitionAsync(tx, reservationId, ReservationState.Expired, now, cancellationToken);
                            break;
                    }
                }

                return await ReadReservationAsync(tx.Connection!, tx, "id = @value", reservationId, cancellationToken)
                    ?? throw InventoryErrors.ReservationNotFound(reservationId);
            },
            cancellationToken);
    }

    /// <summary>
    /// Moves an ACTIVE reservation to <paramref name="target"/> (committing or releasing only before its expiry,
    /// expiring only after it) and moves its stock in the same transaction; false when it was not in that state.
    /// </summary>
    private static async Task<bool> TransitionAsync(DbTransaction tx, string reservationId, ReservationState target, long now, CancellationToken cancellationToken)
    {
        await using (var update = Command(tx, $"UPDATE reservations SET state = @target WHERE id = @id AND state = @active AND expire_time {(target == ReservationState.Expired ? "<=" : ">")} @now"))
        {
            Bind(update, "target", (int)target);
            Bind(update, "id", reservationId);
            Bind(update, "active", (int)ReservationState.Active);
            Bind(update, "now", now);
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        var stock = target == ReservationState.Committed
            ? "reserved = reserved - @quantity"
            : "available = available + @quantity, reserved = reserved - @quantity";
        foreach (var line in await ReadLinesAsync(tx.Connection!, tx, reservationId, cancellationToken))
        {
            await using var move = Command(tx, $"UPDATE products SET {stock} WHERE sku_key = @key");
            Bind(move, "quantity", (long)line.Quantity);
            Bind(move, "key", InventoryRules.Fold(line.Sku));
            await move.ExecuteNonQueryAsync(cancellationToken);
        }

        return true;
    }

    private async Task<ReservationRecord?> ReadReservationAsync(DbConnection connection, DbTransaction? tx, string where, string value, CancellationToken cancellationToken)
    {
        string id, orderId, currency;
        ReservationState state;
        long created, expires, total;
        await using (var command = Command(connection, $"SELECT {ReservationColumns} FROM reservations WHERE {where}"))
        {
            command.Transaction = tx;
            Bind(command, "value", value);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            (id, orderId, state, created, expires, total, currency) =
                (reader.GetString(0), reader.GetString(1), (ReservationState)reader.GetInt32(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetString(6));
        }

        if (state == ReservationState.Active && expires <= Now())
        {
            state = ReservationState.Expired;
        }

        var lines = await ReadLinesAsync(connection, tx, id, cancellationToken);
        return new ReservationRecord(id, orderId, lines, state, StoreTime.FromMicros(created), StoreTime.FromMicros(expires), new Amount(total, currency));
    }

    private static async Task<IReadOnlyList<ReservedLine>> ReadLinesAsync(DbConnection connection, DbTransaction? tx, string reservationId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, "SELECT sku, quantity FROM reservation_lines WHERE reservation_id = @id ORDER BY sku_key");
        command.Transaction = tx;
        Bind(command, "id", reservationId);
        var lines = new List<ReservedLine>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(new ReservedLine(reader.GetString(0), reader.GetInt32(1)));
        }

        return lines;
    }

    private static bool SameLines(IReadOnlyList<ReservedLine> stored, List<ReservedLine> wanted) =>
        stored.Count == wanted.Count
        && stored.Zip(wanted).All(p => InventoryRules.Fold(p.First.Sku) == InventoryRules.Fold(p.Second.Sku) && p.First.Quantity == p.Second.Quantity);

    private static async Task<ProductRecord?> GetProductAsync(DbTransaction tx, string key, CancellationToken cancellationToken)
    {
        await using var command = Command(tx, $"SELECT {ProductColumns} FROM products WHERE sku_key = @key");
        Bind(command, "key", key);
        return await ReadProductAsync(command, cancellationToken);
    }

    private static async Task<bool> ProductExistsAsync(DbTransaction tx, string sku, CancellationToken cancellationToken) =>
        await GetProductAsync(tx, InventoryRules.Fold(sku), cancellationToken) is not null;

    private static async Task<ProductRecord?> ReadProductAsync(DbCommand command, CancellationToken cancellationToken) =>
        (await ReadProductsAsync(command, cancellationToken)).FirstOrDefault();

    private static async Task<List<ProductRecord>> ReadProductsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var products = new List<ProductRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            products.Add(new ProductRecord(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                new Amount(reader.GetInt64(3), reader.GetString(4)),
                reader.GetInt64(5),
                reader.GetInt64(6),
                reader.GetBoolean(7),
                StoreTime.FromMicros(reader.GetInt64(8)),
                StoreTime.FromMicros(reader.GetInt64(9)),
                reader.GetInt64(10)));
        }

        return products;
    }

    private static string SortColumn(ProductOrderField field) => field switch
    {
        ProductOrderField.Sku => "sku_key",
        ProductOrderField.Name => "name_key",
        ProductOrderField.Available => "available",
        ProductOrderField.Price => "price_minor",
        _ => "create_time",
    };

    private static DbCommand Command(DbTransaction tx, string sql)
    {
        var command = Command(tx.Connection!, sql);
        command.Transaction = tx;
        return command;
    }

    private static DbCommand Command(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private long Now() => StoreTime.ToMicros(clock.GetUtcNow());
}
