namespace Tessera.Users.Auth;

public static class Roles
{
    /// <summary>May do everything: other users' records, roles, Watch, Sync, BulkCreate.</summary>
    public const string Admin = "admin";

    /// <summary>
    /// Tessera's own services calling one another (an order reserving stock, taking a payment). Only a service token
    /// carries it: short-lived, signed with the server's key, its subject the user on whose behalf the call is made.
    /// </summary>
    public const string Service = "service";
}
