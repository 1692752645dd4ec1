using System.Collections.Concurrent;
using Prometheus;

namespace Tessera.Server.Observability;

/// <summary>
/// The server's Prometheus metrics, in a registry of its own (not prometheus-net's static default), so that several
/// servers in one process each count only their own calls. <c>method</c> is the full gRPC method name
/// (<c>/user.v1.UserService/GetUser</c>, or <c>unknown</c> for a path no service implements); <c>status</c> is the
/// status code's name (<c>OK</c>, <c>NOT_FOUND</c>, ...). Exemplars (a trace id kept beside a sample) are not
/// recorded: every call has an Activity for its log lines, so each observation would store one, at a cost per call.
/// </summary>
public sealed class GrpcMetrics
{
    public const string UnknownMethod = "unknown";

    public GrpcMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();
        Requests = factory.CreateCounter("grpc_requests_total", "gRPC calls finished, by method and status code.", ["method", "status"]);
        Duration = factory.CreateHistogram(
            "grpc_request_duration_seconds",
            "How long gRPC calls took, from the request's arrival to its last byte (streams included).",
            ["method"],
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
        Refused = factory.CreateCounter(
            "grpc_requests_refused_total",
            "gRPC calls refused (UNAUTHENTICATED, PERMISSION_DENIED, RESOURCE_EXHAUSTED), by status and caller kind (user or anonymous).",
            ["status", "caller"]);
        InFlight = factory.CreateGauge("grpc_requests_in_flight", "gRPC calls in progress.", ["method"]);
        StreamMessagesReceived = factory.CreateCounter("grpc_stream_messages_received_total", "Messages read from client streams.", ["method"]);
        StreamMessagesSent = factory.CreateCounter("grpc_stream_messages_sent_total", "Messages written to server streams.", ["method"]);
    }

    private readonly ConcurrentDictionary<string, MethodMetrics> byMethod = new(StringComparer.Ordinal);

    public CollectorRegistry Registry { get; }

    public Counter Requests { get; }

    /// <summary>Refused calls, which are summarised in the log rather than logged one by one (see <see cref="RefusalLog"/>).</summary>
    public Counter Refused { get; }

    public Histogram Duration { get; }

    public Gauge InFlight { get; }

    public Counter StreamMessagesReceived { get; }

    public Counter StreamMessagesSent { get; }

    /// <summary>
    /// The labelled children for <paramref name="method"/>, made once: a label lookup in prometheus-net hashes the
    /// label values on every call, which the per-call path need not pay.
    /// </summary>
    public MethodMetrics For(string method) => byMethod.GetOrAdd(method, static (name, metrics) => new MethodMetrics(metrics, name), this);

    /// <summary>One method's children: in flight, duration, and its request counter by status name.</summary>
    public sealed class MethodMetrics(GrpcMetrics metrics, string method)
    {
        private readonly ConcurrentDictionary<string, Counter.Child> requests = new(StringComparer.Ordinal);

        public Gauge.Child InFlight { get; } = metrics.InFlight.WithLabels(method);

        public Histogram.Child Duration { get; } = metrics.Duration.WithLabels(method);

        public Counter.Child Requests(string status) =>
            requests.GetOrAdd(status, static (name, labels) => labels.metrics.Requests.WithLabels(labels.method, name), (metrics, method));
    }
}
