using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Tessera.Contracts.Auth.V1;
using Tessera.Contracts.Inventory.V1;
using Tessera.IntegrationTests.Observability;
using Tessera.IntegrationTests.Operations;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Tessera.IntegrationTests.Services;

/// <summary>
/// The services run apart as real processes on SQLite with auth on (<c>--services</c>): a users-only process and an
/// inventory-only one share a signing key, so a token one signs the other accepts; the inventory process opens no
/// user database; each reports health for what it serves only; and flags that cannot work stop the start with exit 2.
/// </summary>
public sealed class ServicesApartTests : IDisposable
{
    private const string AdminPassword = "services apart admin 1";

    private readonly string root = Path.Combine(Path.GetTempPath(), "tessera-tests", Guid.NewGuid().ToString("N"));
    private readonly string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    public ServicesApartTests() => Directory.CreateDirectory(root);

    [Fact]
    public async Task A_token_from_the_users_process_is_accepted_by_the_inventory_process_which_opens_no_user_database()
    {
        var usersAddress = Loopback.FreeHttpUrl();
        var inventoryAddress = Loopback.FreeHttpUrl();
        var inventoryData = Path.Combine(root, "inventory");
        await using var users = Start("users", usersAddress, Path.Combine(root, "users"));
        await using var inventory = Start("inventory", inventoryAddress, inventoryData);
        await users.WaitUntilServingAsync(usersAddress);
        await inventory.WaitUntilServingAsync(inventoryAddress);
        using var usersChannel = GrpcChannel.ForAddress(usersAddress);
        using var inventoryChannel = GrpcChannel.ForAddress(inventoryAddress);

        var tokens = (await new AuthService.AuthServiceClient(usersChannel).LoginAsync(
            new LoginRequest { Username = "admin", Password = AdminPassword })).Tokens;
        var products = new InventoryService.InventoryServiceClient(inventoryChannel);
        await products.ListProductsAsync(new ListProductsRequest(), new Metadata { { "authorization", $"Bearer {tokens.AccessToken}" } });

        var anonymous = await Assert.ThrowsAsync<RpcException>(() => products.ListProductsAsync(new ListProductsRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        var forged = await Assert.ThrowsAsync<RpcException>(() => products.ListProductsAsync(
            new ListProductsRequest(), new Metadata { { "authorization", $"Bearer {tokens.AccessToken[..^4]}AAAA" } }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, forged.StatusCode);

        Assert.False(File.Exists(Path.Combine(inventoryData, "tessera.db")), "the inventory-only process opened a user database");
        Assert.True(File.Exists(Path.Combine(inventoryData, "inventory.db")), "the inventory-only process kept its stock elsewhere");
        var (output, errors) = await inventory.StopAsync();
        Assert.DoesNotContain("Created user 'admin'", output + errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_process_reports_health_for_the_services_it_serves_and_not_for_the_others()
    {
        var usersAddress = Loopback.FreeHttpUrl();
        var commerceAddress = Loopback.FreeHttpUrl();
        await using var users = Start("users", usersAddress, Path.Combine(root, "users"));
        await using var commerce = Start("inventory,payments", commerceAddress, Path.Combine(root, "commerce"));
        await users.WaitUntilServingAsync(usersAddress);
        await commerce.WaitUntilServingAsync(commerceAddress);
        using var usersChannel = GrpcChannel.ForAddress(usersAddress);
        using var commerceChannel = GrpcChannel.ForAddress(commerceAddress);

        await AssertHealthAsync(
            usersChannel,
            serving: ["", "user.v1.UserService", "auth.v1.AuthService"],
            unknown: ["inventory.v1.InventoryService", "payment.v1.PaymentService", "order.v1.OrderService", "monitoring.v1.MonitoringService"]);
        await AssertHealthAsync(
            commerceChannel,
            serving: ["", "inventory.v1.InventoryService", "payment.v1.PaymentService"],
            unknown: ["user.v1.UserService", "auth.v1.AuthService", "order.v1.OrderService", "monitoring.v1.MonitoringService"]);
    }

    [Fact]
    public async Task Services_apart_with_auth_and_no_shared_key_is_refused_with_the_hint_and_exit_status_2()
    {
        await using var server = ServerProcess.Start(
            ["--services", "inventory", "--urls", Loopback.FreeHttpUrl(), "--data-dir", Path.Combine(root, "inventory")],
            new Dictionary<string, string?> { ["TESSERA_JWT_KEY"] = null });

        var (code, _, errors) = await server.ExitAsync();

        Assert.Equal(2, code);
        Assert.Contains("give every process the same signing key with --jwt-key-file or TESSERA_JWT_KEY", errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "inventory")), "a refused start made its data directory (and a key of its own)");
    }

    [Fact]
    public async Task An_unknown_service_name_is_refused_with_exit_status_2()
    {
        await using var server = ServerProcess.Start(
            ["--services", "users,invent0ry", "--jwt-key", key, "--urls", Loopback.FreeHttpUrl(), "--data-dir", Path.Combine(root, "data")]);

        var (code, _, errors) = await server.ExitAsync();

        Assert.Equal(2, code);
        Assert.Contains("'invent0ry'", errors, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task AssertHealthAsync(GrpcChannel channel, string[] serving, string[] unknown)
    {
        var health = new Health.HealthClient(channel);
        foreach (var service in serving)
        {
            var reply = await health.CheckAsync(new HealthCheckRequest { Service = service });
            Assert.True(reply.Status == ServingStatus.Serving, $"'{service}' is {reply.Status}");
        }

        foreach (var service in unknown)
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = service }).ResponseAsync);
            Assert.True(e.StatusCode == StatusCode.NotFound, $"'{service}' answered {e.StatusCode}");
        }
    }

    private ServerProcess Start(string services, string address, string dataDirectory) =>
        ServerProcess.Start(
            ["--services", services, "--jwt-key", key, "--urls", address, "--data-dir", dataDirectory, "--shutdown-seconds", "1"],
            new Dictionary<string, string?> { ["TESSERA_ADMIN_PASSWORD"] = AdminPassword, ["TESSERA_JWT_KEY"] = null });
}
