using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Tessera.Server.Web;

/// <summary>
/// Headers of the web console's files (wwwroot, built from web/). Caching: Vite names every asset by its content hash,
/// so assets are cached for a year; index.html, which names them, is checked on every load. Security: the console
/// loads scripts, styles and data from its own origin only (a Content-Security-Policy, so an injected script tag or
/// a script from elsewhere does not run, and the page cannot be framed), and no referrer leaves it.
/// </summary>
public static class ConsoleFiles
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void SetHeaders(StaticFileResponseContext file)
    {
        var headers = file.Context.Response.Headers;
        var hashed = file.Context.Request.Path.StartsWithSegments("/assets", StringComparison.Ordinal);
        headers[HeaderNames.CacheControl] = hashed ? "public, max-age=31536000, immutable" : "no-cache";
        headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
    }
}
