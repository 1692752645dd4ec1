using Grpc.Core;

namespace Tessera.Client;

// One TesseraException subclass per status code a caller commonly handles; RpcErrorTranslator picks them.

/// <summary>NOT_FOUND: no such record.</summary>
public sealed class NotFoundException(string message, TesseraErrorDetails? details = null, Exception? innerException = null)
    : TesseraException(StatusCode.NotFound, message, details, innerException);

/// <summary>ALREADY_EXISTS: e.g. the username or email is taken.</summary>
public sealed class AlreadyExistsException(string message, TesseraErrorDetails? details = null, Exception? innerException = null)
    : TesseraException(StatusCode.AlreadyExists, message, details, innerException);

/// <summary>INVALID_ARGUMENT: a field is missing or malformed; see <see cref="TesseraException.FieldViolations"/>.</summary>
public sealed class InvalidArgumentException(string message, TesseraErrorDetails? details = null, Exception? innerException = null)
    : TesseraException(StatusCode.InvalidArgument, message, details, innerException);

/// <summary>PERMISSION_DENIED: the credentials are fine but the action is not allowed.</summary>
public sealed class PermissionDeniedException(string message, TesseraErrorDetails? details = null, Exception? innerException = null)
    : TesseraException(StatusCode.PermissionDenied, message, details, innerException);

/// <summary>UNAUTHENTICATED: no or bad credentials.</summary>
public sealed class UnauthenticatedException(string message, TesseraErrorDetails? details = null, Exception? innerException = null)
    : TesseraException(StatusCode.Unauthenticated, message, details, innerException);

/// <summary>ABORTED: a stale etag or a lost concurrent race; read again and retry.</summary>
public sealed class ConflictException(string message, TesseraErrorDetails? details = null, Exception? innerException = null)
    : TesseraException(StatusCode.Aborted, message, details, innerException);

/// <summary>UNAVAILABLE: the server or its store is down or shutting down; retrying later may work.</summary>
public sealed class UnavailableException(string message, TesseraErrorDetails? details = null, Exception? innerException = null)
    : TesseraException(StatusCode.Unavailable, message, details, innerException);

/// <summary>RESOURCE_EXHAUSTED: a message too large, or a rate or quota exceeded.</summary>
public sealed class ResourceExhaustedException(string message, TesseraErrorDetails? details = null, Exception? innerException = null)
    : TesseraException(StatusCode.ResourceExhausted, message, details, innerException);
