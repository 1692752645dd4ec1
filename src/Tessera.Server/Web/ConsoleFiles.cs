using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Tessera.Server.Web;

/// <summary>
/// Caching for the web console's files (wwwroot, built from web/): Vite names every asset by its content hash, so
/// assets are cached for a year; index.html, which names them, is checked on every load.
/// </summary>
public static class ConsoleFiles
{
    public static void SetCaching(StaticFileResponseContext file)
    {
        var hashed = file.Context.Request.Path.StartsWithSegments("/assets", StringComparison.Ordinal);
        file.Context.Response.Headers[HeaderNames.CacheControl] = hashed ? "public, max-age=31536000, immutable" : "no-cache";
    }
}
