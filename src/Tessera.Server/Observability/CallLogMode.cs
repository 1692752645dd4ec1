namespace Tessera.Server.Observability;

/// <summary>
/// Which calls <see cref="CallLog"/> writes a line for (<c>--call-log</c>). Every call is counted in the metrics
/// (<c>grpc_requests_total</c> by method and status, <c>grpc_request_duration_seconds</c>) whatever this says; the
/// line per successful call costs a call about a quarter of its CPU time (bench/README.md), so it is there to turn
/// on, not on by default.
/// </summary>
public enum CallLogMode
{
    /// <summary>Calls that did not end OK (the default). Refusals are summarised by <see cref="RefusalLog"/> in every mode.</summary>
    Failed,

    /// <summary>Every call.</summary>
    All,

    /// <summary>No call lines.</summary>
    None,
}
