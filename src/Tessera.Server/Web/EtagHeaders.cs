using Google.Protobuf;
using Microsoft.Net.Http.Headers;

namespace Tessera.Server.Web;

/// <summary>
/// HTTP's conditional requests over REST (applied by <see cref="CallInterceptor"/>): a unary answer that carries an
/// etag gets an <c>ETag</c> header, and an <c>If-Match</c> header guards the write with that etag (as the request's own
/// etag field would). A guarded write that finds another version is answered 412 Precondition Failed (ABORTED over
/// gRPC). gRPC calls pass untouched.
/// </summary>
public static class EtagHeaders
{
    /// <summary>Puts an <c>If-Match</c> etag into the request; true when the write is guarded by it.</summary>
    public static bool ApplyIfMatch(object request, HttpContext http)
    {
        var ifMatch = http.Request.Headers.IfMatch;
        return ifMatch.Count > 0 && request is IMessage message && Etags.ApplyIfMatch(message, ifMatch);
    }

    public static void Answer(object response, HttpContext http)
    {
        if (response is IMessage answer && Etags.Of(answer) is { } etag)
        {
            http.Response.Headers[HeaderNames.ETag] = Etags.Header(etag);
        }
    }

    /// <summary>A guarded write found another version: 412 rather than the 409 that ABORTED maps to.</summary>
    public static void PreconditionFailed(HttpContext http) =>
        http.Response.OnStarting(() =>
        {
            http.Response.StatusCode = StatusCodes.Status412PreconditionFailed;
            return Task.CompletedTask;
        });
}
