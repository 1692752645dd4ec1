using Grpc.Core;

namespace Tessera.Server.Security;

/// <summary>A token that was valid as a JWT but is refused by Tessera's own checks, with the gRPC answer to give.</summary>
public sealed class TokenRefusedException(StatusCode code, string message, string reason) : Exception(message)
{
    public StatusCode Code { get; } = code;

    public string Reason { get; } = reason;
}
