using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Status = Google.Rpc.Status;

namespace Tessera.Commerce;

/// <summary>
/// The one mapping from <see cref="CommerceException"/> to a gRPC status (AIP-193): the failure's code, the message,
/// an <see cref="ErrorInfo"/> (reason, domain, metadata), a <see cref="BadRequest"/> for invalid fields and a
/// <see cref="RetryInfo"/> when a retry can succeed.
/// </summary>
public static class CommerceErrors
{
    public static RpcException ToRpcException(CommerceException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var info = new ErrorInfo { Reason = error.Reason, Domain = error.Domain };
        info.Metadata.Add(error.Metadata);
        var status = new Status { Code = (int)CodeOf(error.Failure), Message = error.Message, Details = { Any.Pack(info) } };
        if (error.FieldViolations.Count > 0)
        {
            var badRequest = new BadRequest();
            badRequest.FieldViolations.AddRange(error.FieldViolations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
            status.Details.Add(Any.Pack(badRequest));
        }

        if (error.RetryDelay is { } delay)
        {
            status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(delay) }));
        }

        return status.ToRpcException();
    }

    public static Code CodeOf(CommerceFailure failure) => failure switch
    {
        CommerceFailure.InvalidArgument => Code.InvalidArgument,
        CommerceFailure.NotFound => Code.NotFound,
        CommerceFailure.AlreadyExists => Code.AlreadyExists,
        CommerceFailure.FailedPrecondition => Code.FailedPrecondition,
        CommerceFailure.Aborted => Code.Aborted,
        CommerceFailure.PermissionDenied => Code.PermissionDenied,
        CommerceFailure.Unavailable => Code.Unavailable,
        CommerceFailure.DeadlineExceeded => Code.DeadlineExceeded,
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, "unknown failure"),
    };
}
