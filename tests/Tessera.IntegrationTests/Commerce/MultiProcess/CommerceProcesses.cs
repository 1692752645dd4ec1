using System.Security.Cryptography;
using Tessera.Client;
using Tessera.Contracts.Inventory.V1;
using Tessera.Contracts.Money.V1;

namespace Tessera.IntegrationTests.Commerce.MultiProcess;

/// <summary>
/// Tessera as three processes on loopback: users; inventory and payments; orders, which calls the other two through
/// the peer address flags. One signing key, auth on. The store is SQLite (a data directory each) or one PostgreSQL
/// database shared by all three, each service in its own schema.
/// </summary>
internal sealed class CommerceProcesses : IAsyncDisposable
{
    public const string AdminPassword = "admin-password-for-commerce-tests";

    private CommerceProcesses(ServiceProcess users, ServiceProcess inventoryAndPayments, ServiceProcess orders, TesseraClient admin)
    {
        Users = users;
        InventoryAndPayments = inventoryAndPayments;
        Orders = orders;
        Admin = admin;
    }

    public ServiceProcess Users { get; }

    public ServiceProcess InventoryAndPayments { get; }

    public ServiceProcess Orders { get; }

    /// <summary>The SDK signed in as the admin, one client for each process (tokens are accepted everywhere).</summary>
    public TesseraClient Admin { get; }

    /// <summary>The SDK over the inventory and payments process, as the admin.</summary>
    public TesseraClient Shop => ClientFor(InventoryAndPayments);

    /// <summary>The SDK over the orders process, as the admin.</summary>
    public TesseraClient Buyer => ClientFor(Orders);

    /// <param name="storeArgs">The store flags every process gets (nothing for SQLite in separate data directories).</param>
    public static async Task<CommerceProcesses> StartAsync(IReadOnlyList<string> storeArgs)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        var peers = new[]
        {
            ServiceProcess.StartAsync("users", "users", storeArgs, [], key, AdminPassword),
            ServiceProcess.StartAsync("inventory+payments", "inventory,payments", storeArgs, [], key, AdminPassword),
        };
        ServiceProcess orders;
        try
        {
            await Task.WhenAll(peers);
            var (usersAddress, shopAddress) = (peers[0].Result.Address, peers[1].Result.Address);
            orders = await ServiceProcess.StartAsync("orders", "orders", storeArgs,
                ["--users-address", usersAddress, "--inventory-address", shopAddress, "--payments-address", shopAddress], key, AdminPassword);
        }
        catch
        {
            foreach (var started in peers.Where(task => task.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            throw;
        }

        var admin = new TesseraClient(new TesseraClientOptions { Address = peers[0].Result.Address });
        await admin.LoginAsync("admin", AdminPassword);
        return new CommerceProcesses(peers[0].Result, peers[1].Result, orders, admin);
    }

    /// <summary>Creates an active product with <paramref name="stock"/> items at 5.00 USD; its SKU is new.</summary>
    public async Task<string> CreateProductAsync(long stock)
    {
        var sku = $"SKU-{Guid.NewGuid():N}"[..16];
        using var shop = Shop;
        await shop.Inventory.CreateProductAsync(new CreateProductRequest
        {
            Product = new Product { Sku = sku, Name = "Multi-process mug", Price = new Money { CurrencyCode = "USD", MinorUnits = 500 }, Available = stock, Active = true },
        });
        return sku;
    }

    /// <summary>The product's available and reserved stock, as inventory answers now.</summary>
    public async Task<(long Available, long Reserved)> StockAsync(string sku)
    {
        using var shop = Shop;
        var product = (await shop.Inventory.GetProductAsync(new GetProductRequest { Sku = sku })).Product;
        return (product.Available, product.Reserved);
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Orders.DisposeAsync();
        await InventoryAndPayments.DisposeAsync();
        await Users.DisposeAsync();
    }

    private TesseraClient ClientFor(ServiceProcess process) =>
        new(new TesseraClientOptions { Address = process.Address, AccessToken = Admin.AccessToken });
}
