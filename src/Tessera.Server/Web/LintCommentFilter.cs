using Swashbuckle.AspNetCore.SwaggerGen;

namespace Tessera.Server.Web;

/// <summary>
/// Takes the <c>buf:lint:ignore</c> lines out of the OpenAPI descriptions: buf reads them from an RPC's leading
/// comment, so they sit among the lines that document it, but they are notes to the linter, not to a reader.
/// </summary>
public sealed class LintCommentFilter : IDocumentFilter
{
    private const string Directive = "buf:lint:";

    public void Apply(Microsoft.OpenApi.Models.OpenApiDocument document, DocumentFilterContext context)
    {
        foreach (var operation in document.Paths.Values.SelectMany(path => path.Operations.Values))
        {
            operation.Summary = Clean(operation.Summary);
            operation.Description = Clean(operation.Description);
        }

        foreach (var schema in document.Components?.Schemas.Values ?? [])
        {
            schema.Description = Clean(schema.Description);
            foreach (var property in schema.Properties.Values)
            {
                property.Description = Clean(property.Description);
            }
        }
    }

    private static string? Clean(string? text) =>
        text is null || !text.Contains(Directive, StringComparison.Ordinal)
            ? text
            : string.Join('\n', text.Split('\n').Where(line => !line.TrimStart().StartsWith(Directive, StringComparison.Ordinal))).TrimEnd();
}
