using Grpc.Core;

namespace Tessera.Commerce.Tests.Orders.Fakes;

/// <summary>Errors as the real services send them: a status with an ErrorInfo of their domain (through the one mapping).</summary>
public static class PeerErrors
{
    public static RpcException Of(CommerceFailure failure, string domain, string reason, string message) =>
        CommerceErrors.ToRpcException(new CommerceException(failure, domain, reason, message));

    public static RpcException Bare(StatusCode code) => new(new Status(code, $"simulated {code}"));
}
