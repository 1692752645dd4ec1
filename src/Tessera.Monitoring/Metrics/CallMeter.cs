using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Tessera.Monitoring.Metrics;

/// <summary>
/// Counts this server's gRPC calls by listening to ASP.NET Core's own instruments (meter
/// <c>Microsoft.AspNetCore.Hosting</c>): <c>http.server.request.duration</c>, whose <c>http.route</c> is the gRPC
/// method, and <c>http.server.active_requests</c>. Only the instruments of this host's meter factory are heard, so
/// several servers in one process each count their own calls.
/// </summary>
public sealed class CallMeter : IDisposable
{
    private const string HostingMeter = "Microsoft.AspNetCore.Hosting";
    private const string DurationInstrument = "http.server.request.duration";
    private const string ActiveInstrument = "http.server.active_requests";

    private readonly ConcurrentDictionary<string, MethodCalls> methods = new(StringComparer.Ordinal);
    private readonly MeterListener listener = new();
    private readonly IMeterFactory meters;
    private long inFlight;

    public CallMeter(IMeterFactory meters)
    {
        this.meters = meters;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == HostingMeter
                && ReferenceEquals(instrument.Meter.Scope, this.meters)
                && instrument.Name is DurationInstrument or ActiveInstrument)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>(OnDuration);
        listener.SetMeasurementEventCallback<long>(OnActive);
        listener.Start();
    }

    /// <summary>Calls in progress now (every HTTP request of this server, which serves only gRPC).</summary>
    public long InFlight => Interlocked.Read(ref inFlight);

    /// <summary>The methods called so far and their counts; a method appears once its first call has finished.</summary>
    public IEnumerable<KeyValuePair<string, MethodCalls>> Methods => methods;

    /// <summary>Counts one finished call (also used by tests to feed the meter without a server).</summary>
    public void Record(string method, double milliseconds) =>
        methods.GetOrAdd(method, static _ => new MethodCalls()).Record(milliseconds);

    public void Dispose() => listener.Dispose();

    private void OnDuration(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        foreach (var tag in tags)
        {
            // A gRPC endpoint's route is its method's path; requests no endpoint matched carry no route and are skipped.
            if (tag.Key == "http.route" && tag.Value is string { Length: > 1 } route && route[0] == '/' && route.IndexOf('/', 1) > 0)
            {
                Record(route, seconds * 1000);
                return;
            }
        }
    }

    private void OnActive(Instrument instrument, long change, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state) =>
        Interlocked.Add(ref inFlight, change);
}
