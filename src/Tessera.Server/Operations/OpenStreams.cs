using System.Collections.Concurrent;

namespace Tessera.Server.Operations;

/// <summary>
/// The streaming calls in progress, so that stopping never waits on one that cannot end by itself. When the server
/// starts stopping, every stream's handler is told (its token is cancelled) and ends at once with UNAVAILABLE. A
/// stream whose client has stopped reading cannot end: its last messages and its status wait behind HTTP/2 flow
/// control, and Kestrel would hold the whole shutdown (<c>--shutdown-seconds</c>) for it, refusing new connections
/// meanwhile. So the streams still open a moment after stopping began (<see cref="Grace"/>) are reset (RST_STREAM:
/// their clients see the call cancelled), and stopping goes on.
/// </summary>
public sealed partial class OpenStreams
{
    private readonly ConcurrentDictionary<HttpContext, byte> open = new();
    private readonly ILogger<OpenStreams> logger;

    public OpenStreams(TesseraOptions options, IHostApplicationLifetime lifetime, ILogger<OpenStreams> logger)
    {
        this.logger = logger;
        Grace = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(3).Ticks, options.ShutdownTimeout.Ticks / 2));
        lifetime.ApplicationStopping.Register(() => _ = ResetAfterGraceAsync());
    }

    /// <summary>
    /// How long a stream has to end by itself once stopping began: 3 s, or half the shutdown time if less. Long enough
    /// for a handler winding down on a busy machine (a chat member leaving its rooms), short against the default 10 s.
    /// </summary>
    public TimeSpan Grace { get; }

    public void Opened(HttpContext http) => open.TryAdd(http, 0);

    public void Closed(HttpContext http) => open.TryRemove(http, out _);

    private async Task ResetAfterGraceAsync()
    {
        await Task.Delay(Grace).ConfigureAwait(false);
        var reset = 0;
        foreach (var http in open.Keys)
        {
            http.Abort();
            reset++;
        }

        if (reset > 0)
        {
            LogReset(reset, Grace.TotalMilliseconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "stopping: reset {Count} streaming calls still open {GraceMs} ms after stopping began (their clients were not reading, or still sending)")]
    private partial void LogReset(int count, double graceMs);
}
