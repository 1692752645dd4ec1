using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Tessera.Server;

/// <summary>
/// Kestrel listens where <see cref="KestrelSetup"/> says (<c>--urls</c> and <c>--metrics-urls</c>, each with its own
/// protocols). The host also copies <c>--urls</c> into the server's address list, which would make Kestrel warn at
/// every start that it overrides those addresses; this empties that list before the server starts.
/// </summary>
public sealed class ListenersFromKestrelSetup : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.ServerFeatures.Get<IServerAddressesFeature>()?.Addresses.Clear();
        next(app);
    };
}
