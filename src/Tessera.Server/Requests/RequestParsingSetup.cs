using Grpc.AspNetCore.Server.Model;

namespace Tessera.Server.Requests;

public static class RequestParsingSetup
{
    /// <summary>
    /// Binds every gRPC service through <see cref="ParsingServiceMethodProvider{TService}"/> instead of Grpc.AspNetCore's
    /// own provider (which would answer a body that does not parse with UNKNOWN or INTERNAL and log two stack traces).
    /// Call after AddGrpc.
    /// </summary>
    public static void AddGrpcRequestParsing(this IServiceCollection services)
    {
        var framework = services.Single(descriptor =>
            descriptor.ServiceType == typeof(IServiceMethodProvider<>)
            && descriptor.ImplementationType is { Name: "BinderServiceMethodProvider`1" } provider
            && provider.Assembly == typeof(IServiceMethodProvider<>).Assembly);
        services.Remove(framework);
        services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(ParsingServiceMethodProvider<>));
    }
}
