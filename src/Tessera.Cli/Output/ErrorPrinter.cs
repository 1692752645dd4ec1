using Tessera.Contracts;
using Tessera.Client;

namespace Tessera.Cli.Output;

/// <summary>A failed call as the user sees it: <c>error: CODE: message</c>, then one line per invalid field. Never a stack trace.</summary>
internal static class ErrorPrinter
{
    public static void Write(TextWriter error, TesseraException exception)
    {
        error.WriteLine($"error: {exception.StatusCode.Name()}: {exception.Message}");
        foreach (var violation in exception.FieldViolations)
        {
            error.WriteLine($"  {violation.Field}: {violation.Description}");
        }
    }
}
