using Grpc.Core;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Contracts.Inventory.V1;
using Tessera.Contracts.Payment.V1;
using Tessera.Contracts.User.V1;

namespace Tessera.Commerce.Orders.Calls;

/// <summary>
/// The typed gRPC clients the order service calls its peers with (Grpc.Net.ClientFactory). Each: its address from
/// <see cref="PeerEndpoints"/>; the incoming call's deadline (<see cref="IncomingDeadline"/>) and cancellation (passed by
/// the caller) apply to it (none in background work, which sets its own deadline); and retries of UNAVAILABLE only, up
/// to 4 attempts with backoff, from the gRPC service config. Retrying is safe because every call the saga makes is
/// idempotent by design: reads (GetUser, CheckStock, GetReservation, GetPayment), ReserveItems and ProcessPayment keyed
/// on the order id, Commit/Release by nature, AdjustStock and RefundPayment keyed on a request_id derived from the
/// order id.
/// </summary>
internal static class PeerClients
{
    private static readonly ServiceConfig RetryUnavailable = new()
    {
        MethodConfigs =
        {
            new MethodConfig
            {
                Names = { MethodName.Default },
                RetryPolicy = new RetryPolicy
                {
                    MaxAttempts = 4,
                    InitialBackoff = TimeSpan.FromMilliseconds(100),
                    MaxBackoff = TimeSpan.FromSeconds(1),
                    BackoffMultiplier = 2,
                    RetryableStatusCodes = { StatusCode.Unavailable },
                },
            },
        },
    };

    public static void Add(IServiceCollection services, PeerAddresses peers)
    {
        services.AddSingleton<PeerEndpoints>();
        Add<UserService.UserServiceClient>(services, peers.Users);
        Add<InventoryService.InventoryServiceClient>(services, peers.Inventory);
        Add<PaymentService.PaymentServiceClient>(services, peers.Payments);
    }

    private static void Add<TClient>(IServiceCollection services, Uri? address)
        where TClient : class =>
        services
            .AddGrpcClient<TClient>((provider, client) => client.Address = provider.GetRequiredService<PeerEndpoints>().AddressOf(address))
            .ConfigureChannel(channel => channel.ServiceConfig = RetryUnavailable)
            .ConfigurePrimaryHttpMessageHandler(provider => provider.GetRequiredService<PeerEndpoints>().CreateHandler());
}
