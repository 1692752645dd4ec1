using System.Text.Json.Nodes;
using Tessera.Client;
using Tessera.Contracts;

namespace Tessera.Cli.Output;

/// <summary>
/// A failed call as the user sees it. As text: <c>error: CODE: message</c>, one line per invalid field, then
/// hints. With <c>-o json</c>/<c>-o yaml</c>: one object <c>{"error": {code, message, reason, domain, metadata,
/// fieldViolations, hints}}</c>. Never a stack trace.
/// </summary>
internal static class ErrorPrinter
{
    public static void Write(TextWriter error, TesseraException exception, OutputFormat format, IReadOnlyList<string> hints)
    {
        if (format != OutputFormat.Table)
        {
            error.WriteLine(DataPrinter.Format(Json(exception, hints), format, terminal: false));
            return;
        }

        error.WriteLine($"error: {exception.StatusCode.Name()}: {exception.Message}");
        foreach (var violation in exception.FieldViolations)
        {
            error.WriteLine($"  {violation.Field}: {violation.Description}");
        }

        foreach (var hint in hints)
        {
            error.WriteLine($"  ({hint})");
        }
    }

    /// <summary>A failure that is not a call's status (a bad file, a refused confirmation), in the same shapes.</summary>
    public static void Write(TextWriter error, string message, OutputFormat format)
    {
        if (format != OutputFormat.Table)
        {
            var node = new JsonObject { ["error"] = new JsonObject { ["message"] = message } };
            error.WriteLine(DataPrinter.Format(node, format, terminal: false));
            return;
        }

        error.WriteLine($"error: {message}");
    }

    public static JsonObject Json(TesseraException exception, IReadOnlyList<string> hints)
    {
        var violations = new JsonArray();
        foreach (var violation in exception.FieldViolations)
        {
            violations.Add(new JsonObject { ["field"] = violation.Field, ["description"] = violation.Description });
        }

        var metadata = new JsonObject();
        foreach (var (key, value) in exception.ErrorMetadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            metadata[key] = value;
        }

        return new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = exception.StatusCode.Name(),
                ["message"] = exception.Message,
                ["reason"] = exception.Reason ?? "",
                ["domain"] = exception.Domain ?? "",
                ["metadata"] = metadata,
                ["fieldViolations"] = violations,
                ["hints"] = new JsonArray([.. hints.Select(h => (JsonNode)h)]),
            },
        };
    }
}
