using Grpc.Core;
using Tessera.Contracts.Inventory.V1;
using Tessera.IntegrationTests.Replicas;

namespace Tessera.IntegrationTests.Commerce;

/// <summary>The inventory through a real server on <c>--store postgres</c>: its own schema beside the users' tables.</summary>
public sealed class InventoryPostgresServerTests
{
    [SkippableFact]
    public async Task A_hundred_concurrent_reservations_for_the_last_ten_items_give_exactly_ten_on_postgres()
    {
        var admin = ReplicaPostgres.AdminConnectionString;
        var name = $"tessera_inventory_{Guid.NewGuid():N}";
        var connectionString = await ReplicaPostgres.CreateDatabaseAsync(admin, name);
        try
        {
            await using var server = TesseraServer.With(["--auth", "none", "--store", "postgres", "--connection", connectionString, "--jwt-key", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))]);
            await server.InitializeAsync();
            var inventory = new InventoryService.InventoryServiceClient(server.Channel);
            var sku = InventoryServiceTests.Sku("last");
            await inventory.CreateProductAsync(new CreateProductRequest { Product = InventoryServiceTests.NewProduct(sku, 10, 100) });

            var codes = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ =>
                Assertions.StatusOf(async () => await inventory.ReserveItemsAsync(InventoryServiceTests.Reserve(InventoryServiceTests.Sku("order"), (sku, 1))))));

            Assert.Equal(10, codes.Count(c => c == StatusCode.OK));
            Assert.Equal(90, codes.Count(c => c == StatusCode.FailedPrecondition));
            var product = (await inventory.GetProductAsync(new GetProductRequest { Sku = sku })).Product;
            Assert.Equal((0L, 10L), (product.Available, product.Reserved));
            Assert.Equal(1L, await ReplicaPostgres.ExecuteAsync(connectionString, "SELECT count(*) FROM inventory.products"));
            Assert.True(server.Errors.IsEmpty, string.Join("\n", server.Errors));
        }
        finally
        {
            await ReplicaPostgres.DropDatabaseAsync(admin, name);
        }
    }
}
