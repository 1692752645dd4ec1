using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Tessera.Server.Web;

/// <summary>
/// Takes the <c>buf:lint:ignore</c> lines out of the descriptions the proto comments become: they are notes for the
/// linter (kept in the protos for the seed's names), not documentation.
/// </summary>
public sealed class LintCommentFilter : IDocumentFilter
{
    private const string Marker = "buf:lint:ignore";

    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        foreach (var operation in swaggerDoc.Paths.Values.SelectMany(path => path.Operations.Values))
        {
            operation.Summary = Clean(operation.Summary);
            operation.Description = Clean(operation.Description);
        }

        foreach (var schema in swaggerDoc.Components?.Schemas.Values ?? [])
        {
            schema.Description = Clean(schema.Description);
            foreach (var property in schema.Properties.Values)
            {
                property.Description = Clean(property.Description);
            }
        }
    }

    private static string? Clean(string? text)
    {
        if (text is null || !text.Contains(Marker, StringComparison.Ordinal))
        {
            return text;
        }

        var kept = text.Split('\n').Where(line => !line.TrimStart().StartsWith(Marker, StringComparison.Ordinal));
        return string.Join('\n', kept).Trim();
    }
}
