using System.Net;

namespace Tessera.Fuzz.Network;

/// <summary>What the HTTP-based fuzzers share: a client for the server's address and how long an answer may take.</summary>
internal static class Calls
{
    /// <summary>A call unanswered for this long is a failure (the server hangs on it).</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);

    public static HttpClient Client(IPEndPoint server, HttpMessageHandler handler) =>
        new(handler) { BaseAddress = new Uri($"http://{server}"), Timeout = Timeout.InfiniteTimeSpan };
}
