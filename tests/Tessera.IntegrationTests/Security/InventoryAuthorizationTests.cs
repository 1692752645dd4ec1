using Microsoft.Extensions.DependencyInjection;
using Grpc.Core;
using Tessera.Contracts.Inventory.V1;
using Tessera.Contracts.User.V1;
using Tessera.IntegrationTests.Commerce;

namespace Tessera.IntegrationTests.Security;

/// <summary>
/// The inventory's rows of the authorization matrix: every RPC × {anonymous, a user, another user, admin, a service}.
/// Nothing in the inventory belongs to a user, so "self" and "other" are both ordinary signed-in users; "service" is a
/// service token, as the order service mints for its calls (no user can be given the service role).
/// </summary>
public sealed class InventoryAuthorizationTests(AuthServer auth) : IClassFixture<AuthServer>
{
    private const StatusCode Ok = StatusCode.OK;
    private const StatusCode Unauthenticated = StatusCode.Unauthenticated;
    private const StatusCode Denied = StatusCode.PermissionDenied;

    public static TheoryData<string, string, StatusCode> Matrix
    {
        get
        {
            var rows = new TheoryData<string, string, StatusCode>();
            void Row(string rpc, StatusCode user, StatusCode service)
            {
                rows.Add(rpc, "anonymous", Unauthenticated);
                rows.Add(rpc, "self", user);
                rows.Add(rpc, "other", user);
                rows.Add(rpc, "admin", Ok);
                rows.Add(rpc, "service", service);
            }

            Row("CheckStock", Ok, Ok);
            Row("GetProduct", Ok, Ok);
            Row("ListProducts", Ok, Ok);
            Row("ReserveItems", Denied, Ok);
            Row("ReleaseReservation", Denied, Ok);
            Row("CommitReservation", Denied, Ok);
            Row("GetReservation", Denied, Ok);
            Row("CreateProduct", Denied, Denied);
            Row("UpdateProduct", Denied, Denied);
            Row("AdjustStock", Denied, Denied);
            return rows;
        }
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_caller_gets_the_expected_status(string rpc, string caller, StatusCode expected)
    {
        var admin = new CallOptions(AuthServer.Bearer(auth.Admin));
        var inventory = new InventoryService.InventoryServiceClient(auth.Server.Channel);
        var sku = InventoryServiceTests.Sku("auth");
        await inventory.CreateProductAsync(new CreateProductRequest { Product = InventoryServiceTests.NewProduct(sku, 5, 100) }, admin);
        var reservation = (await inventory.ReserveItemsAsync(InventoryServiceTests.Reserve(InventoryServiceTests.Sku("order"), (sku, 1)), admin)).Reservation;

        var options = new CallOptions(AuthServer.Bearer(caller switch
        {
            "self" => auth.AliceTokens,
            "other" => auth.BobTokens,
            "admin" => auth.Admin,
            "service" => ServiceTokens(),
            _ => null,
        }));
        var actual = await Assertions.StatusOf(rpc switch
        {
            "CheckStock" => async () => await inventory.CheckStockAsync(new CheckStockRequest { Skus = { sku } }, options),
            "GetProduct" => async () => await inventory.GetProductAsync(new GetProductRequest { Sku = sku }, options),
            "ListProducts" => async () => await inventory.ListProductsAsync(new ListProductsRequest(), options),
            "ReserveItems" => async () => await inventory.ReserveItemsAsync(InventoryServiceTests.Reserve(InventoryServiceTests.Sku("order"), (sku, 1)), options),
            "ReleaseReservation" => async () => await inventory.ReleaseReservationAsync(new ReleaseReservationRequest { ReservationId = reservation.ReservationId }, options),
            "CommitReservation" => async () => await inventory.CommitReservationAsync(new CommitReservationRequest { ReservationId = reservation.ReservationId }, options),
            "GetReservation" => async () => await inventory.GetReservationAsync(new GetReservationRequest { ReservationId = reservation.ReservationId }, options),
            "CreateProduct" => async () => await inventory.CreateProductAsync(new CreateProductRequest { Product = InventoryServiceTests.NewProduct(InventoryServiceTests.Sku("new"), 1, 1) }, options),
            "UpdateProduct" => async () => await inventory.UpdateProductAsync(new UpdateProductRequest { Product = new Product { Sku = sku, Name = "Changed" } }, options),
            "AdjustStock" => async () => await inventory.AdjustStockAsync(new AdjustStockRequest { Sku = sku, Delta = 1 }, options),
            _ => throw new ArgumentOutOfRangeException(nameof(rpc), rpc, "no such RPC in the matrix"),
        });

        Assert.True(expected == actual, $"{rpc} as {caller}: expected {expected}, got {actual}");
        Assert.True(auth.Server.Errors.IsEmpty, string.Join("\n", auth.Server.Errors));
    }

    /// <summary>A service token as the order service mints one for its calls, on behalf of Alice.</summary>
    private Contracts.Auth.V1.TokenPair ServiceTokens() => new()
    {
        AccessToken = auth.Server.Services.GetRequiredService<Users.Auth.TokenIssuer>().IssueServiceToken(auth.Alice.Id, "orders", TimeSpan.FromMinutes(1)),
    };
}
