using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Monitoring.Logs;
using Tessera.Monitoring.Metrics;
using Tessera.Users;
using Tessera.Users.Auth;
using Tessera.Users.Chat;

namespace Tessera.Monitoring;

/// <summary>
/// monitoring.v1.MonitoringService: live metrics, live logs and the operators' room, all for admins only. One file per
/// RPC in this folder; this one holds what they share. Every stream ends when the host starts stopping.
/// </summary>
[Authorize]
public sealed partial class MonitoringService(
    MetricsHub metrics,
    LogBuffer logs,
    ChatRooms rooms,
    IHostApplicationLifetime lifetime,
    ILogger<MonitoringService> logger) : Contracts.Monitoring.V1.MonitoringService.MonitoringServiceBase
{
    private static Caller RequireAdmin(ServerCallContext context, string what)
    {
        var caller = Caller.From(context);
        caller.RequireAdmin(what);
        return caller;
    }

    private static void RequireKnownService(string service)
    {
        if (service.Length > 0 && !ServiceNames.All.Contains(service))
        {
            throw RpcErrors.InvalidArgument("service_name", $"must be empty or one of {string.Join(", ", ServiceNames.All)}");
        }
    }

    /// <summary>The call's token, also cancelled when the host starts stopping, so long streams never hold up shutdown.</summary>
    private CancellationTokenSource LinkToShutdown(ServerCallContext context) =>
        CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);

    private bool ShuttingDown => lifetime.ApplicationStopping.IsCancellationRequested;
}
