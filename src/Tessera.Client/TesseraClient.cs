using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Tessera.Contracts.Inventory.V1;
using Tessera.Contracts.Monitoring.V1;
using Tessera.Contracts.Order.V1;
using Tessera.Contracts.Payment.V1;
using Tessera.Contracts.User.V1;
using MonitoringServiceClient = Tessera.Contracts.Monitoring.V1.MonitoringService.MonitoringServiceClient;
using AuthServiceClient = Tessera.Contracts.Auth.V1.AuthService.AuthServiceClient;

namespace Tessera.Client;

/// <summary>
/// The Tessera user directory, called over gRPC. Unary calls get a deadline of
/// <see cref="TesseraClientOptions.DefaultDeadline"/>; long-lived streams get none unless the caller passes one.
/// Every failed call throws a <see cref="TesseraException"/> (a cancelled one, <see cref="OperationCanceledException"/>).
/// </summary>
/// <remarks>The operations are in TesseraClient.Unary.cs, TesseraClient.Streaming.cs and TesseraClient.Auth.cs.</remarks>
public sealed partial class TesseraClient : IDisposable
{
    private readonly GrpcChannel? _ownedChannel;
    private readonly UserService.UserServiceClient _users;
    private readonly AuthServiceClient _auth;
    private readonly TimeSpan _defaultDeadline;
    private string? _accessToken;

    /// <summary>A client with its own channel to <see cref="TesseraClientOptions.Address"/>, disposed with the client.</summary>
    public TesseraClient(TesseraClientOptions? options = null)
        : this(TesseraChannel.Create(options ??= new TesseraClientOptions()), options, ownsChannel: true)
    {
    }

    /// <summary>A client over a channel the caller owns (and disposes); only the deadline and token of <paramref name="options"/> apply.</summary>
    public TesseraClient(ChannelBase channel, TesseraClientOptions? options = null)
        : this(channel, options ?? new TesseraClientOptions(), ownsChannel: false)
    {
    }

    /// <summary>A client over any call invoker (an interceptor chain, a test double); only the deadline and token of <paramref name="options"/> apply.</summary>
    public TesseraClient(CallInvoker callInvoker, TesseraClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(callInvoker);
        options ??= new TesseraClientOptions();
        _users = new UserService.UserServiceClient(callInvoker);
        _auth = new AuthServiceClient(callInvoker);
        _monitoring = new MonitoringServiceClient(callInvoker);
        _defaultDeadline = options.DefaultDeadline;
        _accessToken = options.AccessToken;
        var invoker = callInvoker.Intercept(new TesseraCallInterceptor(() => AccessToken, _defaultDeadline));
        Inventory = new InventoryService.InventoryServiceClient(invoker);
        Payments = new PaymentService.PaymentServiceClient(invoker);
        Orders = new OrderService.OrderServiceClient(invoker);
        Monitoring = new MonitoringService.MonitoringServiceClient(invoker);
    }

    /// <summary>
    /// The inventory service (products, stock, reservations) over this client's channel and token. Unary calls
    /// get the default deadline unless given one; a failure throws the <see cref="TesseraException"/> for its status,
    /// with the server's ErrorInfo reason in <see cref="TesseraException.Reason"/>.
    /// </summary>
    public InventoryService.InventoryServiceClient Inventory { get; }

    /// <summary>The payment service (charges, refunds), with the channel, token, deadline and errors of <see cref="Inventory"/>.</summary>
    public PaymentService.PaymentServiceClient Payments { get; }

    /// <summary>The order service (create, pay, cancel, list orders), with the channel, token, deadline and errors of <see cref="Inventory"/>.</summary>
    public OrderService.OrderServiceClient Orders { get; }

    /// <summary>The monitoring streams (metrics, logs, chat): no deadline unless the caller passes one; errors as <see cref="Inventory"/>.</summary>
    public MonitoringService.MonitoringServiceClient Monitoring { get; }

    private TesseraClient(ChannelBase channel, TesseraClientOptions options, bool ownsChannel)
        : this(NotNull(channel).CreateCallInvoker(), options)
    {
        _ownedChannel = ownsChannel ? (GrpcChannel)channel : null;
    }

    /// <summary>
    /// The bearer token sent with every call from now on (null: none). <see cref="LoginAsync"/> and
    /// <see cref="RefreshAsync"/> set it, <see cref="LogoutAsync"/> clears it; safe to set while calls run
    /// (each call reads it once, when it starts).
    /// </summary>
    public string? AccessToken
    {
        get => Volatile.Read(ref _accessToken);
        set => Volatile.Write(ref _accessToken, value);
    }

    /// <summary>Closes the channel if the client made it; a channel passed in is left to its owner.</summary>
    public void Dispose() => _ownedChannel?.Dispose();

    /// <summary>Options for a unary call: the default deadline, counted from now.</summary>
    private CallOptions UnaryOptions(CancellationToken cancellationToken) =>
        new(Headers(), UnaryDeadline(), cancellationToken);

    /// <summary>Options for a long-lived stream: no deadline unless the caller gave one.</summary>
    private CallOptions StreamOptions(DateTime? deadline, CancellationToken cancellationToken) =>
        new(Headers(), deadline?.ToUniversalTime(), cancellationToken);

    /// <summary>Options for a sign-in call: the default deadline, and no token (those calls are public).</summary>
    private CallOptions AuthOptions(CancellationToken cancellationToken) =>
        new(headers: null, UnaryDeadline(), cancellationToken);

    private DateTime? UnaryDeadline() => _defaultDeadline > TimeSpan.Zero ? DateTime.UtcNow + _defaultDeadline : null;

    private Metadata? Headers() =>
        AccessToken is { Length: > 0 } token ? new Metadata { { "authorization", "Bearer " + token } } : null;

    private static ChannelBase NotNull(ChannelBase channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return channel;
    }
}
