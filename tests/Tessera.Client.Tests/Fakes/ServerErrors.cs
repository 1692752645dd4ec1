using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Tessera.Testing;

/// <summary>RpcExceptions shaped like the server's: a google.rpc.Status with ErrorInfo and, for bad input, BadRequest.</summary>
internal static class ServerErrors
{
    public const string Domain = "user.v1.tessera";

    public static RpcException Rich(StatusCode code, string message, string reason, params (string Field, string Description)[] violations) =>
        Rich(code, message, reason, new Dictionary<string, string>(), violations);

    public static RpcException Rich(StatusCode code, string message, string reason, IDictionary<string, string> metadata, params (string Field, string Description)[] violations)
    {
        var info = new ErrorInfo { Reason = reason, Domain = Domain };
        info.Metadata.Add(metadata);
        var status = new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(info) } };
        if (violations.Length > 0)
        {
            var badRequest = new BadRequest();
            badRequest.FieldViolations.AddRange(violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
            status.Details.Add(Any.Pack(badRequest));
        }

        return status.ToRpcException();
    }

    public static RpcException NotFound(long id) => Rich(StatusCode.NotFound, $"user {id} does not exist", "USER_NOT_FOUND");
}
