namespace Tessera.Server.Operations;

/// <summary>
/// Who a call is accounted to: the signed-in user (their <c>sub</c>), else the peer's IP address (without the port,
/// so one client's connections share it).
/// </summary>
public readonly record struct Caller(bool IsUser, string Id)
{
    public static Caller Of(HttpContext context) => context.User.FindFirst("sub")?.Value is { } subject
        ? new Caller(IsUser: true, subject)
        : new Caller(IsUser: false, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    /// <summary>"user 42" or "address 127.0.0.1", as logs and messages name the caller.</summary>
    public override string ToString() => IsUser ? $"user {Id}" : $"address {Id}";
}
