namespace Tessera.Server.Observability;

/// <summary>Console logs: plain text by default, one JSON object per line with <c>--log-format json</c>.</summary>
public static class LoggingSetup
{
    public static void AddTesseraLogging(this WebApplicationBuilder builder, TesseraOptions options)
    {
        if (options.JsonLogs)
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(json => json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ");
        }
    }
}
