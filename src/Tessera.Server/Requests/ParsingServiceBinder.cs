using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;

namespace Tessera.Server.Requests;

/// <summary>
/// Receives the generated <c>BindService</c>'s methods and adds them to the endpoint model with
/// <see cref="ParsingMarshaller"/>'s request marshaller. Like Grpc.AspNetCore's binder, each method's handler is the
/// service's override of the generated base method, and its metadata the service's attributes, then the method's
/// (so <c>[Authorize]</c> and <c>[AllowAnonymous]</c> work as usual).
/// </summary>
internal sealed class ParsingServiceBinder<TService>(ServiceMethodProviderContext<TService> context, Type serviceBase) : ServiceBinderBase
    where TService : class
{
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
        context.AddUnaryMethod(
            ParsingMarshaller.Wrap(method),
            Metadata(method.Name, [typeof(TRequest), typeof(ServerCallContext)], out var invoker),
            Invoker<UnaryServerMethod<TService, TRequest, TResponse>>(invoker));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
        context.AddServerStreamingMethod(
            ParsingMarshaller.Wrap(method),
            Metadata(method.Name, [typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)], out var invoker),
            Invoker<ServerStreamingServerMethod<TService, TRequest, TResponse>>(invoker));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
        context.AddClientStreamingMethod(
            ParsingMarshaller.Wrap(method),
            Metadata(method.Name, [typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)], out var invoker),
            Invoker<ClientStreamingServerMethod<TService, TRequest, TResponse>>(invoker));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
        context.AddDuplexStreamingMethod(
            ParsingMarshaller.Wrap(method),
            Metadata(method.Name, [typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)], out var invoker),
            Invoker<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(invoker));

    private static TDelegate Invoker<TDelegate>(MethodInfo handler)
        where TDelegate : Delegate => (TDelegate)Delegate.CreateDelegate(typeof(TDelegate), handler);

    private List<object> Metadata(string name, Type[] parameters, out MethodInfo handler)
    {
        handler = Override(name, parameters) ?? throw new InvalidOperationException($"{typeof(TService)} does not override {serviceBase}.{name}");
        return
        [
            .. typeof(TService).GetCustomAttributes(inherit: true),
            .. handler.GetCustomAttributes(inherit: true),
            new HttpMethodMetadata(["POST"], acceptCorsPreflight: true),
        ];
    }

    /// <summary>The service's public override of the generated base class's virtual method (not a method that hides it).</summary>
    private MethodInfo? Override(string name, Type[] parameters)
    {
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            var candidate = type.GetMethod(name, BindingFlags.Public | BindingFlags.Instance, binder: null, parameters, modifiers: null);
            if (candidate is null)
            {
                return null;
            }

            if (candidate.IsVirtual && candidate.GetBaseDefinition().DeclaringType == serviceBase)
            {
                return candidate;
            }
        }

        return null;
    }
}
