using System.Data.Common;
using Grpc.Core;
using Tessera.Users.Storage;

namespace Tessera.Commerce.Orders.Storage;

/// <summary>
/// The statements both engines share (the tables are the same on both: see the migrations) and the mapping between a
/// row and an <see cref="OrderRecord"/>. Parameters are named <c>@x</c>, which SQLite and Npgsql both bind.
/// </summary>
internal static class OrderSql
{
    public const string Columns =
        "order_id, user_id, request_id, step, currency, total_minor, reservation_id, reservation_expires_at, payment_id, "
        + "reserve_attempted, payment_attempted, stock_committed, failure_code, failure_reason, failure_message, "
        + "cancel_reason, lease_until, created_at, updated_at, version";

    public const string Insert = $"""
        INSERT INTO orders ({Columns})
        VALUES (@order_id, @user_id, @request_id, @step, @currency, @total_minor, @reservation_id, @reservation_expires_at, @payment_id,
                @reserve_attempted, @payment_attempted, @stock_committed, @failure_code, @failure_reason, @failure_message,
                @cancel_reason, @lease_until, @created_at, @updated_at, @version)
        ON CONFLICT (user_id, request_id) DO NOTHING
        """;

    public const string InsertLine =
        "INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price_minor) VALUES (@order_id, @line_no, @sku, @quantity, @unit_price_minor)";

    public const string Update = """
        UPDATE orders SET step = @step, currency = @currency, total_minor = @total_minor, reservation_id = @reservation_id,
            reservation_expires_at = @reservation_expires_at, payment_id = @payment_id, reserve_attempted = @reserve_attempted,
            payment_attempted = @payment_attempted, stock_committed = @stock_committed, failure_code = @failure_code,
            failure_reason = @failure_reason, failure_message = @failure_message, cancel_reason = @cancel_reason,
            lease_until = @lease_until, updated_at = @updated_at, version = @version
        WHERE order_id = @order_id AND version = @version - 1
        """;

    public const string UpdateLinePrice =
        "UPDATE order_lines SET unit_price_minor = @unit_price_minor WHERE order_id = @order_id AND line_no = @line_no";

    public const string SelectById = $"SELECT {Columns} FROM orders WHERE order_id = @order_id";

    public const string SelectByRequest = $"SELECT {Columns} FROM orders WHERE user_id = @user_id AND request_id = @request_id";

    /// <summary>Orders a recovery pass takes: not final, not waiting for a payment unless its reservation expired, lease free.</summary>
    public static string Claim(string lockClause) => $"""
        UPDATE orders SET lease_until = @lease_until, version = version + 1
        WHERE order_id IN (
            SELECT order_id FROM orders
            WHERE step NOT IN ({Steps(SagaSteps.Final)})
              AND (step <> {(int)SagaStep.AwaitingPayment} OR reservation_expires_at < @now)
              AND (lease_until IS NULL OR lease_until < @now)
            ORDER BY updated_at
            LIMIT @limit {lockClause})
        RETURNING order_id
        """;

    public static string List(OrderQuery query)
    {
        var conditions = new List<string>();
        if (query.UserId is not null) conditions.Add("user_id = @user_id");
        if (query.Steps is not null) conditions.Add($"step IN ({Steps(query.Steps)})");
        if (query.After is not null) conditions.Add("(created_at, order_id) < (@after_created, @after_id)");
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        return $"SELECT {Columns} FROM orders {where} ORDER BY created_at DESC, order_id DESC LIMIT @limit";
    }

    /// <summary>The lines of the orders named by parameters @o0..@oN.</summary>
    public static string Lines(int orders) =>
        "SELECT order_id, line_no, sku, quantity, unit_price_minor FROM order_lines WHERE order_id IN ("
        + string.Join(", ", Enumerable.Range(0, orders).Select(i => $"@o{i}")) + ") ORDER BY order_id, line_no";

    /// <summary>Step numbers as a SQL list: they are this enum's values, never caller text.</summary>
    private static string Steps(IEnumerable<SagaStep> steps)
    {
        var list = string.Join(", ", steps.Select(step => ((int)step).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return list.Length == 0 ? "NULL" : list;
    }

    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    public static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    /// <summary>Binds every column of <paramref name="order"/> for <see cref="Insert"/> and <see cref="Update"/>.</summary>
    public static void Bind(DbCommand command, OrderRecord order)
    {
        Add(command, "order_id", order.OrderId);
        Add(command, "user_id", order.UserId);
        Add(command, "request_id", order.RequestId);
        Add(command, "step", (int)order.Step);
        Add(command, "currency", order.Currency);
        Add(command, "total_minor", order.TotalMinor);
        Add(command, "reservation_id", order.ReservationId);
        Add(command, "reservation_expires_at", Micros(order.ReservationExpiresAt));
        Add(command, "payment_id", order.PaymentId);
        Add(command, "reserve_attempted", order.ReserveAttempted);
        Add(command, "payment_attempted", order.PaymentAttempted);
        Add(command, "stock_committed", order.StockCommitted);
        Add(command, "failure_code", order.Failure is null ? null : (int)order.Failure.Code);
        Add(command, "failure_reason", order.Failure?.Reason);
        Add(command, "failure_message", order.Failure?.Message);
        Add(command, "cancel_reason", order.CancelReason);
        Add(command, "lease_until", Micros(order.LeaseUntil));
        Add(command, "created_at", StoreTime.ToMicros(order.CreatedAt));
        Add(command, "updated_at", StoreTime.ToMicros(order.UpdatedAt));
        Add(command, "version", order.Version);
    }

    /// <summary>An order from a row of <see cref="Columns"/>, with its lines (read separately).</summary>
    public static OrderRecord Read(DbDataReader row, IReadOnlyList<OrderLineRecord> lines) =>
        new(row.GetString(0), row.GetInt64(1), row.GetString(2), lines, (SagaStep)row.GetInt32(3),
            StoreTime.FromMicros(row.GetInt64(17)), StoreTime.FromMicros(row.GetInt64(18)), row.GetInt64(19))
        {
            Currency = row.GetString(4),
            TotalMinor = row.GetInt64(5),
            ReservationId = row.GetString(6),
            ReservationExpiresAt = row.IsDBNull(7) ? null : StoreTime.FromMicros(row.GetInt64(7)),
            PaymentId = row.GetString(8),
            ReserveAttempted = row.GetBoolean(9),
            PaymentAttempted = row.GetBoolean(10),
            StockCommitted = row.GetBoolean(11),
            Failure = row.IsDBNull(12) ? null : new OrderFailure((StatusCode)row.GetInt32(12), row.GetString(13), row.GetString(14)),
            CancelReason = row.GetString(15),
            LeaseUntil = row.IsDBNull(16) ? null : StoreTime.FromMicros(row.GetInt64(16)),
        };

    private static long? Micros(DateTimeOffset? time) => time is { } value ? StoreTime.ToMicros(value) : null;
}
