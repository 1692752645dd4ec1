using Grpc.Core;
using Grpc.Core.Interceptors;
using Google.Protobuf;
using Microsoft.Net.Http.Headers;
using Tessera.Server.Operations;

namespace Tessera.Server.Web;

/// <summary>
/// HTTP's conditional requests over REST: a unary answer that carries an etag gets an <c>ETag</c> header, and an
/// <c>If-Match</c> header guards the write with that etag (as the request's own etag field would). A guarded write
/// that finds another version is answered 412 Precondition Failed (ABORTED over gRPC). gRPC calls pass untouched.
/// </summary>
public sealed class EtagHeaderInterceptor : Interceptor
{
    /// <summary>gRPC calls go straight to the next step (no async state of their own).</summary>
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var http = context.GetHttpContext();
        return GrpcRequest.Is(http) ? continuation(request, context) : RestAsync(request, context, http, continuation);
    }

    private static async Task<TResponse> RestAsync<TRequest, TResponse>(
        TRequest request, ServerCallContext context, HttpContext http, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        var ifMatch = http.Request.Headers.IfMatch;
        var guarded = ifMatch.Count > 0 && request is IMessage message && Etags.ApplyIfMatch(message, ifMatch);
        try
        {
            var response = await continuation(request, context);
            if (response is IMessage answer && Etags.Of(answer) is { } etag)
            {
                http.Response.Headers[HeaderNames.ETag] = Etags.Header(etag);
            }

            return response;
        }
        catch (RpcException e) when (guarded && e.StatusCode == StatusCode.Aborted)
        {
            http.Response.OnStarting(() =>
            {
                http.Response.StatusCode = StatusCodes.Status412PreconditionFailed;
                return Task.CompletedTask;
            });
            throw;
        }
    }
}
