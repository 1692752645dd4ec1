using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Tessera.Server.Requests;

/// <summary>
/// Discovers a service's methods the way Grpc.AspNetCore's own provider does (the generated <c>BindService</c>), but
/// binds each with a request marshaller that answers a body that does not parse with INVALID_ARGUMENT
/// (<see cref="ParsingMarshaller"/>). It replaces the framework's provider (see <see cref="RequestParsingSetup"/>).
/// </summary>
public sealed class ParsingServiceMethodProvider<TService> : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        var attribute = typeof(TService).GetCustomAttribute<BindServiceMethodAttribute>(inherit: true);
        if (attribute is null)
        {
            return;
        }

        var bind = attribute.BindType.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Single(method => method.Name == attribute.BindMethodName && method.GetParameters() is [{ ParameterType: var binder }, _] && binder == typeof(ServiceBinderBase));
        var serviceBase = bind.GetParameters()[1].ParameterType;
        bind.Invoke(null, [new ParsingServiceBinder<TService>(context, serviceBase), null]);
    }
}
