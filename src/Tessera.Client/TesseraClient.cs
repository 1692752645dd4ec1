using Grpc.Core;
using Grpc.Net.Client;
using Tessera.Contracts.User.V1;

namespace Tessera.Client;

/// <summary>
/// The Tessera user directory, called over gRPC. Unary calls get a deadline of
/// <see cref="TesseraClientOptions.DefaultDeadline"/>; long-lived streams get none unless the caller passes one.
/// Every failed call throws a <see cref="TesseraException"/> (a cancelled one, <see cref="OperationCanceledException"/>).
/// </summary>
/// <remarks>The operations are in TesseraClient.Unary.cs and TesseraClient.Streaming.cs.</remarks>
public sealed partial class TesseraClient : IDisposable
{
    private readonly GrpcChannel? _ownedChannel;
    private readonly UserService.UserServiceClient _users;
    private readonly TimeSpan _defaultDeadline;
    private readonly string? _accessToken;

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
        _defaultDeadline = options.DefaultDeadline;
        _accessToken = options.AccessToken;
    }

    private TesseraClient(ChannelBase channel, TesseraClientOptions options, bool ownsChannel)
        : this(NotNull(channel).CreateCallInvoker(), options)
    {
        _ownedChannel = ownsChannel ? (GrpcChannel)channel : null;
    }

    /// <summary>Closes the channel if the client made it; a channel passed in is left to its owner.</summary>
    public void Dispose() => _ownedChannel?.Dispose();

    /// <summary>Options for a unary call: the default deadline, counted from now.</summary>
    private CallOptions UnaryOptions(CancellationToken cancellationToken)
    {
        DateTime? deadline = _defaultDeadline > TimeSpan.Zero ? DateTime.UtcNow + _defaultDeadline : null;
        return new CallOptions(Headers(), deadline, cancellationToken);
    }

    /// <summary>Options for a long-lived stream: no deadline unless the caller gave one.</summary>
    private CallOptions StreamOptions(DateTime? deadline, CancellationToken cancellationToken) =>
        new(Headers(), deadline?.ToUniversalTime(), cancellationToken);

    private Metadata? Headers() =>
        string.IsNullOrEmpty(_accessToken) ? null : new Metadata { { "authorization", "Bearer " + _accessToken } };

    private static ChannelBase NotNull(ChannelBase channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return channel;
    }
}
