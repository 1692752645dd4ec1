using Grpc.Core;

namespace Tessera.Client;

/// <summary>
/// A call to the server failed. <see cref="Exception.Message"/> is the server's status message; the
/// details the server attached (<c>google.rpc.ErrorInfo</c>, <c>google.rpc.BadRequest</c>) are in
/// <see cref="Reason"/>, <see cref="Domain"/>, <see cref="ErrorMetadata"/> and <see cref="FieldViolations"/>.
/// The subclasses name the codes a caller usually handles; any other code is a plain TesseraException.
/// </summary>
public class TesseraException : Exception
{
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    public TesseraException()
        : this("the call failed")
    {
    }

    public TesseraException(string message)
        : this(message, null)
    {
    }

    public TesseraException(string message, Exception? innerException)
        : this(StatusCode.Unknown, message, null, innerException)
    {
    }

    public TesseraException(StatusCode statusCode, string message, TesseraErrorDetails? details = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Reason = details?.Reason;
        Domain = details?.Domain;
        ErrorMetadata = details?.Metadata ?? NoMetadata;
        FieldViolations = details?.FieldViolations ?? [];
    }

    /// <summary>The gRPC status code of the failed call.</summary>
    public StatusCode StatusCode { get; }

    /// <summary>The UPPER_SNAKE_CASE reason from the server's ErrorInfo (e.g. <c>USERNAME_TAKEN</c>), if it sent one.</summary>
    public string? Reason { get; }

    /// <summary>The domain from the server's ErrorInfo, if it sent one.</summary>
    public string? Domain { get; }

    /// <summary>The metadata of the server's ErrorInfo (e.g. the current <c>etag</c> on a conflict); empty if none.</summary>
    public IReadOnlyDictionary<string, string> ErrorMetadata { get; }

    /// <summary>The invalid fields from the server's BadRequest; empty if none.</summary>
    public IReadOnlyList<FieldViolation> FieldViolations { get; }

    /// <summary>The typed exception for a failed call (see <see cref="RpcErrorTranslator"/>).</summary>
    public static TesseraException FromRpcException(RpcException exception) => RpcErrorTranslator.Translate(exception);
}
