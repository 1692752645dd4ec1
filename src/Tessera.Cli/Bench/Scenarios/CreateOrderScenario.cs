using Tessera.Contracts.Inventory.V1;
using Tessera.Contracts.Money.V1;
using Tessera.Contracts.Order.V1;

namespace Tessera.Cli.Bench.Scenarios;

/// <summary>
/// create-order: first seeds products of its own with stock no run can sell out, then each worker is a buyer placing
/// orders of one or two of them paid with tok_approve. An order counts as an item only when it comes back CONFIRMED;
/// a failed one is counted under its status. Needs an admin sign-in (--login) to seed.
/// </summary>
internal static class CreateOrderScenario
{
    private const int Products = 20;
    private const long StockEach = 1_000_000_000;

    public static async Task<BenchOperation> PrepareAsync(BenchConnections connections, CancellationToken cancellationToken)
    {
        var inventory = new InventoryService.InventoryServiceClient(connections.Invokers[0]);
        var run = Guid.NewGuid().ToString("N")[..8];
        var skus = new string[Products];
        for (var i = 0; i < Products; i++)
        {
            skus[i] = $"BENCH-{run}-{i}";
            await inventory.CreateProductAsync(new CreateProductRequest
            {
                Product = new Product
                {
                    Sku = skus[i],
                    Name = $"bench product {i}",
                    Price = new Money { CurrencyCode = "USD", MinorUnits = 100 + i },
                    Available = StockEach,
                    Active = true,
                },
            }, connections.Options(cancellationToken)).ConfigureAwait(false);
        }

        var clients = connections.Invokers.Select(invoker => new OrderService.OrderServiceClient(invoker)).ToArray();
        return async (worker, _, token) =>
        {
            var first = Random.Shared.Next(Products);
            var request = new CreateOrderRequest
            {
                RequestId = Guid.NewGuid().ToString("N"),
                Lines = { new OrderLine { Sku = skus[first], Quantity = 1 + Random.Shared.Next(3) } },
                PaymentMethodToken = "tok_approve",
            };
            if (Random.Shared.Next(2) == 0)
            {
                request.Lines.Add(new OrderLine { Sku = skus[(first + 1) % Products], Quantity = 1 });
            }

            var response = await clients[worker % clients.Length].CreateOrderAsync(request, connections.Options(token)).ConfigureAwait(false);
            return response.Order.State == Order.Types.State.Confirmed ? 1 : 0;
        };
    }
}
