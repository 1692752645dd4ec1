using Tessera.Contracts.Inventory.V1;
using Tessera.Contracts.Order.V1;
using Tessera.IntegrationTests.Replicas;
using MoneyProto = Tessera.Contracts.Money.V1.Money;

namespace Tessera.IntegrationTests.Commerce;

/// <summary>Orders through a real server on <c>--store postgres</c>: the order's saga over gRPC, its rows in the <c>orders</c> schema.</summary>
public sealed class OrderPostgresServerTests
{
    [SkippableFact]
    public async Task An_order_is_confirmed_and_stored_in_the_orders_schema_on_postgres()
    {
        var admin = ReplicaPostgres.AdminConnectionString;
        var name = $"tessera_orders_{Guid.NewGuid():N}";
        var connectionString = await ReplicaPostgres.CreateDatabaseAsync(admin, name);
        try
        {
            await using var server = TesseraServer.With(["--auth", "none", "--store", "postgres", "--connection", connectionString, "--jwt-key", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))]);
            await server.InitializeAsync();
            var inventory = new InventoryService.InventoryServiceClient(server.Channel);
            var orders = new OrderService.OrderServiceClient(server.Channel);
            var buyer = (await server.Users.CreateUserAsync(new Contracts.User.V1.CreateUserRequest { Username = "buyer", Email = "buyer@example.com" })).User;
            await inventory.CreateProductAsync(new CreateProductRequest
            {
                Product = new Product { Sku = "lamp-1", Name = "Lamp", Price = new MoneyProto { CurrencyCode = "EUR", MinorUnits = 3_000 }, Available = 4, Active = true },
            });

            var request = OrdersServer.NewOrder("lamp-1", 3, "tok_approve");
            request.UserId = buyer.Id;
            var order = (await orders.CreateOrderAsync(request)).Order;
            var listed = await orders.ListOrdersAsync(new ListOrdersRequest { UserId = buyer.Id });

            Assert.Equal(Order.Types.State.Confirmed, order.State);
            Assert.Equal(9_000, order.Total.MinorUnits);
            Assert.Equal(order.OrderId, Assert.Single(listed.Orders).OrderId);
            Assert.Equal(1L, (await inventory.GetProductAsync(new GetProductRequest { Sku = "lamp-1" })).Product.Available);
            Assert.Equal(1L, await ReplicaPostgres.ExecuteAsync(connectionString, "SELECT count(*) FROM orders.orders"));
            Assert.Equal(1L, await ReplicaPostgres.ExecuteAsync(connectionString, "SELECT count(*) FROM orders.order_lines"));
            Assert.True(server.Errors.IsEmpty, string.Join("\n", server.Errors));
        }
        finally
        {
            await ReplicaPostgres.DropDatabaseAsync(admin, name);
        }
    }
}
