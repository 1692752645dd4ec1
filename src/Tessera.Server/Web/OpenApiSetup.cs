using System.Reflection;
using Google.Protobuf.Reflection;
using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Tessera.Server.Web;

/// <summary>
/// The OpenAPI document of the REST face, made by Microsoft.AspNetCore.Grpc.Swagger from the JSON transcoding routes,
/// with the protos' comments (Tessera.Contracts.xml, generated with the C#) as its descriptions.
/// </summary>
public static class OpenApiSetup
{
    public const string Name = "openapi";

    /// <summary>A schema's id: the proto's full name (<c>order.v1.Order.State</c>), unique where C# names are not.</summary>
    private static string SchemaId(Type type)
    {
        if (type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is MessageDescriptor message)
        {
            return message.FullName;
        }

        // Nested enums are Message.Types.Enum in C#.
        if (type.IsEnum && type.DeclaringType is { Name: "Types", DeclaringType: { } owner } && owner != type && SchemaId(owner) is var parent)
        {
            return $"{parent}.{type.Name}";
        }

        return type.FullName ?? type.Name;
    }

    public static void Configure(SwaggerGenOptions swagger)
    {
        swagger.SwaggerDoc(Name, new OpenApiInfo
        {
            Title = "Tessera",
            Version = "v1",
            Description = "The REST face of Tessera's gRPC services (JSON transcoding of the google.api.http annotations). "
                + "Sign in with POST /v1/auth:login and send the access token as 'Authorization: Bearer <token>'. "
                + "Errors are a google.rpc.Status JSON body with the HTTP status of its code.",
        });
        swagger.CustomSchemaIds(SchemaId);
        swagger.DocumentFilter<LintCommentFilter>();
        var comments = Path.Combine(AppContext.BaseDirectory, "Tessera.Contracts.xml");
        if (File.Exists(comments))
        {
            swagger.IncludeXmlComments(comments);
            swagger.IncludeGrpcXmlComments(comments, includeControllerXmlComments: true);
        }

        var bearer = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An access token from POST /v1/auth:login.",
            Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = "bearer" },
        };
        swagger.AddSecurityDefinition("bearer", bearer);
        swagger.AddSecurityRequirement(new OpenApiSecurityRequirement { [bearer] = [] });
    }
}
