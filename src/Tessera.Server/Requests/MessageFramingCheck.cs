using Microsoft.AspNetCore.Http.Features;
using Tessera.Server.Operations;

namespace Tessera.Server.Requests;

/// <summary>
/// Gives every gRPC call (and gRPC-Web, decoded by then) a <see cref="FramedMessageReader"/> for its body. Runs
/// after the gRPC-Web middleware, whose decoding body it wraps.
/// </summary>
public sealed class MessageFramingCheck(RequestDelegate next, TesseraOptions options)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (GrpcRequest.Is(context) && context.Features.Get<IRequestBodyPipeFeature>() is { } body)
        {
            context.Features.Set<IRequestBodyPipeFeature>(new CheckedBody(new FramedMessageReader(body.Reader, options.MaxReceiveMessageSize)));
        }

        return next(context);
    }

    private sealed class CheckedBody(FramedMessageReader reader) : IRequestBodyPipeFeature
    {
        public System.IO.Pipelines.PipeReader Reader => reader;
    }
}
