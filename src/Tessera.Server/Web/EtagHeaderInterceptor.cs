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
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var http = context.GetHttpContext();
        if (GrpcRequest.Is(http))
        {
            return await continuation(request, context);
        }

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
