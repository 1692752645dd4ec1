namespace Tessera.Users.Auth;

public static class Roles
{
    /// <summary>May do everything: other users' records, roles, Watch, Sync, BulkCreate.</summary>
    public const string Admin = "admin";
}
