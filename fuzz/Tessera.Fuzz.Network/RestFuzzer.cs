using System.Net;
using System.Text;

namespace Tessera.Fuzz.Network;

/// <summary>
/// The REST face (JSON transcoding of user.v1 on the web address): mutated JSON bodies, path ids and query values
/// (filter, page token, update mask), including invalid UTF-8 and deep nesting. Every answer must be below 500 (or
/// 503, the store or server unavailable) and carry no stack trace.
/// </summary>
internal sealed class RestFuzzer(IPEndPoint server, Tally tally) : IDisposable
{
    public const string Kind = "rest";

    private readonly HttpClient client = Calls.Client(server, new SocketsHttpHandler());

    public async Task SendAsync(int request, Mutator mutator)
    {
        using var call = Request(request, mutator);
        var what = $"{call.Method} {call.RequestUri}";
        using var timeout = new CancellationTokenSource(Calls.AnswerTimeout);
        try
        {
            using var response = await client.SendAsync(call, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            var status = (int)response.StatusCode;
            if ((status >= 500 && status != 503) || StackTraces.Appear(body))
            {
                tally.Failure(Kind, request, $"{Shorten(what)}: HTTP {status} {Shorten(body)}");
                return;
            }

            tally.Outcome(Kind, $"HTTP {status}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            tally.Failure(Kind, request, $"{Shorten(what)}: no answer within {Calls.AnswerTimeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            tally.Failure(Kind, request, $"{Shorten(what)}: the connection failed: {e.Message}");
        }
    }

    public void Dispose() => client.Dispose();

    private static HttpRequestMessage Request(int n, Mutator mutator)
    {
        switch (mutator.Next(6))
        {
            case 0:
                return Json(HttpMethod.Post, "/v1/users", Body(mutator, $$"""{"username":"rest{{n}}","email":"rest{{n}}@example.com","fullName":"Rest","roles":["editor"],"metadata":{"k":"v"},"nickname":"r"}"""));
            case 1:
                var mask = Encoded(mutator, "fullName,nickname");
                return Json(HttpMethod.Patch, $"/v1/users/{Encoded(mutator, "2")}?updateMask={mask}", Body(mutator, """{"fullName":"Patched","nickname":"p","etag":""}"""));
            case 2:
                var query = $"filter={Encoded(mutator, "username:\"a*\" AND is_active = true")}&pageToken={Encoded(mutator, "eyJRIjoiMCIsIlYiOiIxIiwiSSI6MX0")}"
                    + $"&pageSize={Encoded(mutator, "5")}&orderBy={Encoded(mutator, "created_at desc")}";
                return new HttpRequestMessage(HttpMethod.Get, $"/v1/users?{query}");
            case 3:
                return new HttpRequestMessage(mutator.Pick(new[] { HttpMethod.Get, HttpMethod.Delete }), $"/v1/users/{Encoded(mutator, "1000000")}");
            case 4:
                return Json(HttpMethod.Post, $"/v1/chat/rooms/{Encoded(mutator, "fuzz")}/messages", Body(mutator, """{"text":"hi","sender":"rest"}"""));
            default:
                var depth = mutator.Pick(new[] { 64, 1_000, 100_000 });
                var nested = new string('[', depth) + new string(']', depth);
                return Json(HttpMethod.Post, "/v1/users", Encoding.UTF8.GetBytes($$"""{"username":"deep","email":"deep@example.com","roles":{{nested}}}"""));
        }
    }

    private static HttpRequestMessage Json(HttpMethod method, string path, byte[] body)
    {
        var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("content-type", "application/json");
        return request;
    }

    /// <summary>The sample JSON, mutated half of the time.</summary>
    private static byte[] Body(Mutator mutator, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        return mutator.Next(2) == 0 ? bytes : mutator.Mutate(bytes);
    }

    /// <summary>A query or path value, maybe mutated, percent-encoded byte by byte (so invalid UTF-8 arrives as it is).</summary>
    private static string Encoded(Mutator mutator, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        return string.Concat((mutator.Next(3) == 0 ? mutator.Mutate(bytes) : bytes).Select(b => $"%{b:X2}"));
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
