using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Status = Google.Rpc.Status;

namespace Tessera.Users;

/// <summary>
/// The gRPC errors the user directory returns (AIP-193): a code that fits, a message a person can act on,
/// an <see cref="ErrorInfo"/> with an UPPER_SNAKE_CASE reason, and field violations for invalid input.
/// </summary>
public static class RpcErrors
{
    public const string Domain = "user.v1.tessera";

    public static RpcException InvalidArgument(IReadOnlyList<FieldViolation> violations)
    {
        var message = string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}"));
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
        return Build(Code.InvalidArgument, message, "INVALID_ARGUMENT", badRequest);
    }

    public static RpcException InvalidArgument(string field, string description) =>
        InvalidArgument([new FieldViolation(field, description)]);

    public static RpcException NotFound(long userId) =>
        Build(Code.NotFound, $"user {userId} does not exist", "USER_NOT_FOUND", metadata: ("user_id", userId.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static RpcException AlreadyExists(string field, string value) =>
        Build(Code.AlreadyExists, $"a user with this {field} already exists: '{value}'", field == "username" ? "USERNAME_TAKEN" : "EMAIL_TAKEN", metadata: ("field", field));

    public static RpcException EtagMismatch(long userId, string currentEtag) =>
        Build(Code.Aborted, $"user {userId} was changed by someone else (its etag is now {currentEtag}); read it again and retry", "ETAG_MISMATCH",
            metadata: ("etag", currentEtag));

    public static RpcException FailedPrecondition(string message, string reason) => Build(Code.FailedPrecondition, message, reason);

    public static RpcException LastAdmin(long userId) =>
        Build(Code.FailedPrecondition,
            $"user {userId} is the last active admin, so it cannot be deleted, deactivated or lose the admin role; make another user an admin first",
            "LAST_ADMIN", metadata: ("user_id", userId.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static RpcException PermissionDenied(string message) => Build(Code.PermissionDenied, message, "PERMISSION_DENIED");

    public static RpcException Unauthenticated(string message, string reason) => Build(Code.Unauthenticated, message, reason);

    public static RpcException ResourceExhausted(string message, string reason) => Build(Code.ResourceExhausted, message, reason);

    /// <summary>RESOURCE_EXHAUSTED with a <see cref="RetryInfo"/> saying how long to wait before trying again.</summary>
    public static RpcException ResourceExhausted(string message, string reason, TimeSpan retryDelay) =>
        Build(Code.ResourceExhausted, message, reason, retry: new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryDelay) });

    public static RpcException ShuttingDown() =>
        Build(Code.Unavailable, "the server is shutting down; reconnect (streams can resume from the last revision they saw)", "SHUTTING_DOWN");

    /// <summary>UNAVAILABLE with a one-second <see cref="RetryInfo"/>: this server cannot serve the call now, another attempt can.</summary>
    public static RpcException Unavailable(string message, string reason) =>
        Build(Code.Unavailable, message, reason, retry: new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) });

    /// <summary>UNAVAILABLE with reason STORE_UNAVAILABLE and a one-second <see cref="RetryInfo"/>: the database could not be reached.</summary>
    public static RpcException StoreUnavailable(string trace) =>
        Build(Code.Unavailable, $"the user store is unavailable; retry later (trace {trace})", "STORE_UNAVAILABLE",
            retry: new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) });

    /// <summary>RESOURCE_EXHAUSTED for a write refused because the store's disk is full (gRPC's own example of the code).</summary>
    public static RpcException StoreFull(string trace) =>
        Build(Code.ResourceExhausted, $"the store's disk is full: writes are refused until space is freed, reads still work (trace {trace})", "STORE_FULL");

    private static RpcException Build(
        Code code, string message, string reason, BadRequest? badRequest = null, RetryInfo? retry = null, params (string Key, string Value)[] metadata)
    {
        var info = new ErrorInfo { Reason = reason, Domain = Domain };
        foreach (var (key, value) in metadata)
        {
            info.Metadata[key] = value;
        }

        var status = new Status { Code = (int)code, Message = message, Details = { Any.Pack(info) } };
        if (badRequest is not null)
        {
            status.Details.Add(Any.Pack(badRequest));
        }

        if (retry is not null)
        {
            status.Details.Add(Any.Pack(retry));
        }

        return status.ToRpcException();
    }
}

/// <summary>One invalid field: its proto path and what is wrong with it.</summary>
public sealed record FieldViolation(string Field, string Description);
