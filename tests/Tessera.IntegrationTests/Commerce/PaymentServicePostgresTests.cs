using Grpc.Core;
using Tessera.Contracts.Money.V1;
using Tessera.Contracts.Payment.V1;
using Tessera.IntegrationTests.Replicas;

namespace Tessera.IntegrationTests.Commerce;

/// <summary>The payment service on <c>--store postgres</c>: its own schema, and one charge for an order however it is retried.</summary>
public sealed class PaymentServicePostgresTests
{
    [SkippableFact]
    public async Task Concurrent_and_retried_payments_for_one_order_are_one_row_in_the_payments_schema()
    {
        var admin = ReplicaPostgres.AdminConnectionString;
        var name = $"tessera_payments_{Guid.NewGuid():N}";
        var connectionString = await ReplicaPostgres.CreateDatabaseAsync(admin, name);
        try
        {
            await using var server = TesseraServer.With(["--auth", "none", "--store", "postgres", "--connection", connectionString]);
            await server.InitializeAsync();
            var payments = new PaymentService.PaymentServiceClient(server.Channel);
            var request = new ProcessPaymentRequest
            {
                OrderId = "order-pg",
                Amount = new Money { CurrencyCode = "EUR", MinorUnits = 2500 },
                PaymentMethodToken = "tok_slow",
            };

            var gaveUp = await Assert.ThrowsAsync<RpcException>(() =>
                payments.ProcessPaymentAsync(request, deadline: DateTime.UtcNow.AddMilliseconds(300)).ResponseAsync);
            var retries = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
                payments.ProcessPaymentAsync(request, deadline: DateTime.UtcNow.AddSeconds(20)).ResponseAsync));

            Assert.Equal(StatusCode.DeadlineExceeded, gaveUp.StatusCode);
            Assert.Single(retries.Select(r => (r.Payment.PaymentId, r.Payment.ProcessorReference)).Distinct());
            Assert.Equal(Payment.Types.Status.Captured, retries[0].Payment.Status);
            Assert.Equal(1L, await ReplicaPostgres.ExecuteAsync(connectionString, "SELECT count(*) FROM payments.payments"));
            Assert.True(server.Errors.IsEmpty, string.Join("\n", server.Errors));
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await ReplicaPostgres.DropDatabaseAsync(admin, name);
        }
    }
}
