namespace Tessera.Server.Operations;

/// <summary>
/// Who a call is accounted to: a signed-in user by their <c>sub</c>, an anonymous caller by its IP address (without
/// the port, so one client's connections share it). Under <c>--auth none</c> every caller counts as signed in, keyed
/// by its address.
/// </summary>
public readonly record struct Caller(bool IsUser, string Id)
{
    public static Caller Of(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return context.User.Identity?.IsAuthenticated == true
            ? new Caller(IsUser: true, context.User.FindFirst("sub")?.Value ?? address)
            : new Caller(IsUser: false, address);
    }

    /// <summary>"user 42" or "address 127.0.0.1", as logs and messages name the caller.</summary>
    public override string ToString() => IsUser ? $"user {Id}" : $"address {Id}";
}
