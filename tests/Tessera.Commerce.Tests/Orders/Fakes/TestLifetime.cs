using Microsoft.Extensions.Hosting;

namespace Tessera.Commerce.Tests.Orders.Fakes;

/// <summary>A host lifetime for tests that run the recovery pass by hand.</summary>
public sealed class TestLifetime : IHostApplicationLifetime
{
    public CancellationToken ApplicationStarted => CancellationToken.None;

    public CancellationToken ApplicationStopping => CancellationToken.None;

    public CancellationToken ApplicationStopped => CancellationToken.None;

    public void StopApplication()
    {
    }
}
