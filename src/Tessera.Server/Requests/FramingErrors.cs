using Grpc.Core;

namespace Tessera.Server.Requests;

/// <summary>
/// The statuses of a request body whose gRPC framing is wrong, thrown while Grpc.AspNetCore reads it (which answers
/// an RpcException as its status, with no stack trace or error log; any other exception there is UNKNOWN "Exception
/// was thrown by handler." and a logged stack trace).
/// </summary>
internal static class FramingErrors
{
    /// <summary>INVALID_ARGUMENT, reason MALFORMED_REQUEST as for a message that does not parse.</summary>
    public static RpcException Malformed(string why) => ParsingMarshaller.Malformed($"the request is not a valid gRPC message: {why}", typeName: null);

    /// <summary>RESOURCE_EXHAUSTED, as Grpc.AspNetCore answers a message over the limit whose length it can read.</summary>
    public static RpcException TooLarge(string what, long limit) =>
        new(new Grpc.Core.Status(StatusCode.ResourceExhausted, $"{what}, more than the {limit:N0} bytes this server accepts (--max-message-bytes)"));
}
