using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.AspNetCore.Web;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Net.Http.Headers;

namespace Tessera.Server.Web;

/// <summary>
/// The browser and REST face, from the same service handlers as gRPC: gRPC-Web (binary and text) on every service,
/// REST through JSON transcoding (the protos' <c>google.api.http</c> annotations), the OpenAPI document made from them
/// at <c>/openapi.json</c> with a reference page at <c>/docs</c>, and the web console's files at <c>/</c> (on the
/// <c>--web-urls</c> listeners). CORS only for the origins <c>--cors-origins</c> names.
/// </summary>
public static class WebSetup
{
    public const string OpenApiPath = "/openapi.json";
    public const string DocsPath = "docs";
    private const string CorsPolicy = "tessera-web";

    public static void AddTesseraWeb(this IServiceCollection services, Grpc.AspNetCore.Server.IGrpcServerBuilder grpc, TesseraOptions options)
    {
        // int64 as JSON strings, as the proto3 JSON mapping says (and as JavaScript needs for numbers above 2^53).
        grpc.AddJsonTranscoding(transcoding =>
        {
            transcoding.JsonSettings.WriteInt64sAsStrings = true;
            // The error details the services send (ErrorInfo, BadRequest, RetryInfo, ...), written into the JSON error body.
            transcoding.TypeRegistry = TypeRegistry.FromFiles(ErrorDetailsReflection.Descriptor);
        });
        services.AddGrpcSwagger();
        services.AddSwaggerGen(OpenApiSetup.Configure);
        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
            .WithOrigins([.. options.CorsOrigins])
            .AllowAnyHeader()
            .AllowAnyMethod()
            .WithExposedHeaders("grpc-status", "grpc-message", "grpc-status-details-bin", HeaderNames.ETag)));
        services.AddResponseCompression(compression =>
        {
            // The console's own files only: API answers are small and per call, and compressing them costs CPU per call.
            compression.MimeTypes = ["text/html", "text/css", "text/javascript", "application/javascript", "image/svg+xml"];
            compression.Providers.Add<GzipCompressionProvider>();
            compression.Providers.Add<BrotliCompressionProvider>();
        });
    }

    /// <summary>Goes first: CORS answers preflights before authentication, and gRPC-Web calls become gRPC calls for what follows.</summary>
    public static void UseTesseraWeb(this WebApplication app, TesseraOptions options)
    {
        if (options.WebUrls.Count == 0)
        {
            return;
        }

        if (options.CorsOrigins.Count > 0)
        {
            app.UseCors(CorsPolicy);
        }

        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        var console = Directory.Exists(app.Environment.WebRootPath);
        app.UseWhen(context => Listeners.Of(context) == ListenerRole.Web, web =>
        {
            // The console's files are built from web/ into wwwroot (committed); a build without them serves the rest.
            if (console)
            {
                web.UseResponseCompression();
                web.UseDefaultFiles();
                web.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = ConsoleFiles.SetHeaders });
            }

            web.UseSwagger(swagger => swagger.RouteTemplate = "{documentName}.json");
            web.UseSwaggerUI(ui =>
            {
                ui.RoutePrefix = DocsPath;
                ui.SwaggerEndpoint(OpenApiPath, "Tessera");
                ui.DocumentTitle = "Tessera API";
            });
        });
    }

    /// <summary>Goes after authorization: a caller who may not make the call is refused before its body is read.</summary>
    public static void UseTesseraRestBodyCheck(this WebApplication app, TesseraOptions options)
    {
        if (options.WebUrls.Count > 0)
        {
            app.UseMiddleware<RestRequestCheck>();
        }
    }
}
