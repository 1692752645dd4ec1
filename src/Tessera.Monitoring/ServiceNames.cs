namespace Tessera.Monitoring;

/// <summary>
/// The service a metric or log entry belongs to: gRPC methods by their proto package, log entries by their category,
/// and "process" for what belongs to the process as a whole.
/// </summary>
public static class ServiceNames
{
    public const string Users = "users";
    public const string Inventory = "inventory";
    public const string Payments = "payments";
    public const string Orders = "orders";
    public const string Monitoring = "monitoring";
    public const string Process = "process";

    public static IReadOnlyList<string> All { get; } = [Users, Inventory, Payments, Orders, Monitoring, Process];

    /// <summary>The service of a full gRPC method name such as <c>/user.v1.UserService/GetUser</c>.</summary>
    public static string OfMethod(string method)
    {
        var package = method.AsSpan().TrimStart('/');
        var dot = package.IndexOf(".v", StringComparison.Ordinal);
        return (dot < 0 ? package : package[..dot]) switch
        {
            "user" or "auth" => Users,
            "inventory" => Inventory,
            "payment" => Payments,
            "order" => Orders,
            "monitoring" => Monitoring,
            _ => Process,
        };
    }

    /// <summary>The service of a log category: the namespace its type lives in.</summary>
    public static string OfCategory(string category) =>
        category.StartsWith("Tessera.Users", StringComparison.Ordinal) ? Users
        : category.StartsWith("Tessera.Commerce.Inventory", StringComparison.Ordinal) ? Inventory
        : category.StartsWith("Tessera.Commerce.Payments", StringComparison.Ordinal) ? Payments
        : category.StartsWith("Tessera.Commerce.Orders", StringComparison.Ordinal) ? Orders
        : category.StartsWith("Tessera.Monitoring", StringComparison.Ordinal) ? Monitoring
        : Process;
}
