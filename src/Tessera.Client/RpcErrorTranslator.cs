using Google.Rpc;
using Grpc.Core;

namespace Tessera.Client;

/// <summary>
/// Turns an <see cref="RpcException"/> into the matching <see cref="TesseraException"/>, reading the
/// google.rpc.Status details (ErrorInfo, BadRequest) the server put in the <c>grpc-status-details-bin</c> trailer.
/// Every call of <see cref="TesseraClient"/>, unary or streaming, goes through here.
/// </summary>
public static class RpcErrorTranslator
{
    /// <summary>The typed exception for <paramref name="exception"/>; its message is the server's status detail.</summary>
    public static TesseraException Translate(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var details = ReadDetails(exception);
        var message = exception.Status.Detail;
        return (NeverConnected(exception) ? StatusCode.Unavailable : exception.StatusCode) switch
        {
            StatusCode.NotFound => new NotFoundException(message, details, exception),
            StatusCode.AlreadyExists => new AlreadyExistsException(message, details, exception),
            StatusCode.InvalidArgument => new InvalidArgumentException(message, details, exception),
            StatusCode.PermissionDenied => new PermissionDeniedException(message, details, exception),
            StatusCode.Unauthenticated => new UnauthenticatedException(message, details, exception),
            StatusCode.Aborted => new ConflictException(message, details, exception),
            StatusCode.Unavailable => new UnavailableException(message, details, exception),
            StatusCode.ResourceExhausted => new ResourceExhaustedException(message, details, exception),
            _ => new TesseraException(exception.StatusCode, message, details, exception),
        };
    }

    /// <summary>
    /// What a failed call should throw: <see cref="OperationCanceledException"/> when the caller cancelled it,
    /// otherwise the translated exception.
    /// </summary>
    internal static Exception Translate(RpcException exception, CancellationToken cancellationToken) =>
        exception.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested
            ? new OperationCanceledException("the call was cancelled", exception, cancellationToken)
            : Translate(exception);

    /// <summary>
    /// True when the call failed before it reached the server because the connection could not be set up (for
    /// example a server that requires a client certificate broke off the handshake). grpc-dotnet reports some of
    /// these as INTERNAL; like gRPC's other implementations, this client reports them as UNAVAILABLE. A server
    /// certificate this client refused (an AuthenticationException) is not transient and keeps its code.
    /// </summary>
    private static bool NeverConnected(RpcException exception)
    {
        if (exception.StatusCode != StatusCode.Internal || exception.Status.DebugException is not HttpRequestException request)
        {
            return false;
        }

        for (Exception? inner = request; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Security.Authentication.AuthenticationException)
            {
                return false;
            }
        }

        return exception.Status.Detail.StartsWith("Error starting gRPC call", StringComparison.Ordinal);
    }

    private static TesseraErrorDetails? ReadDetails(RpcException exception)
    {
        Google.Rpc.Status? status;
        try
        {
            status = exception.GetRpcStatus();
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return null; // a malformed details trailer: keep the code and message, drop the details
        }

        if (status is null)
        {
            return null;
        }

        var info = status.GetDetail<ErrorInfo>();
        var badRequest = status.GetDetail<BadRequest>();
        if (info is null && badRequest is null)
        {
            return null;
        }

        return new TesseraErrorDetails(
            NullIfEmpty(info?.Reason),
            NullIfEmpty(info?.Domain),
            info?.Metadata.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal) ?? new Dictionary<string, string>(),
            badRequest?.FieldViolations.Select(v => new FieldViolation(v.Field, v.Description)).ToList() ?? []);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
