namespace Tessera.Commerce;

/// <summary>The kinds of refusal a commerce rule can make; <see cref="CommerceErrors"/> gives each its gRPC status code.</summary>
public enum CommerceFailure
{
    /// <summary>The request itself is wrong: a missing field, a bad value (INVALID_ARGUMENT).</summary>
    InvalidArgument,

    /// <summary>The thing named does not exist (NOT_FOUND).</summary>
    NotFound,

    /// <summary>The thing to create exists already (ALREADY_EXISTS).</summary>
    AlreadyExists,

    /// <summary>The request is fine but the state does not allow it now: out of stock, already refunded (FAILED_PRECONDITION).</summary>
    FailedPrecondition,

    /// <summary>Someone else changed it first; read again and retry (ABORTED).</summary>
    Aborted,

    /// <summary>The caller may not do this (PERMISSION_DENIED).</summary>
    PermissionDenied,

    /// <summary>Something this depends on cannot be reached now; a retry can succeed (UNAVAILABLE).</summary>
    Unavailable,

    /// <summary>The call's deadline passed before the step finished (DEADLINE_EXCEEDED).</summary>
    DeadlineExceeded,
}

/// <summary>
/// A refusal by a commerce rule, thrown by domain code and turned into a gRPC status with an ErrorInfo by one mapping
/// (<see cref="CommerceErrors.ToRpcException"/>, applied by the server's error interceptor). Domain code never throws
/// RpcException itself.
/// </summary>
/// <param name="failure">Which status code it becomes.</param>
/// <param name="domain">The ErrorInfo domain: the service's proto package plus ".tessera", e.g. "inventory.v1.tessera".</param>
/// <param name="reason">The ErrorInfo reason, UPPER_SNAKE_CASE, stable: clients branch on it.</param>
/// <param name="message">A sentence a person can act on.</param>
public class CommerceException(CommerceFailure failure, string domain, string reason, string message) : Exception(message)
{
    public CommerceFailure Failure { get; } = failure;

    public string Domain { get; } = domain;

    public string Reason { get; } = reason;

    /// <summary>ErrorInfo metadata: the ids and values a client needs to act (the order id, the short SKUs, ...).</summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>For <see cref="CommerceFailure.InvalidArgument"/>: the fields at fault (a BadRequest detail).</summary>
    public IList<(string Field, string Description)> FieldViolations { get; } = [];

    /// <summary>For <see cref="CommerceFailure.Unavailable"/>: how long to wait before retrying (a RetryInfo detail).</summary>
    public TimeSpan? RetryDelay { get; init; }

    /// <summary>Adds an ErrorInfo metadata entry and returns this exception, for <c>throw new X(...).With("sku", sku)</c>.</summary>
    public CommerceException With(string key, string value)
    {
        Metadata[key] = value;
        return this;
    }

    /// <summary>INVALID_ARGUMENT naming the fields at fault.</summary>
    public static CommerceException Invalid(string domain, params (string Field, string Description)[] violations)
    {
        var error = new CommerceException(
            CommerceFailure.InvalidArgument, domain, "INVALID_ARGUMENT", string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")));
        foreach (var violation in violations)
        {
            error.FieldViolations.Add(violation);
        }

        return error;
    }
}
