namespace Tessera.Users.Auth;

/// <summary>The claims Tessera puts in an access token besides the registered ones.</summary>
public static class TokenClaims
{
    public const string Name = "name";

    public const string Role = "role";

    /// <summary>The user's security stamp when the token was issued (see <see cref="TokenRevocation"/>); absent means 0.</summary>
    public const string SecurityStamp = "sst";

    /// <summary>"true" when the token is good only for changing the password (TokenPair.password_change_required).</summary>
    public const string PasswordChangeRequired = "pcr";

    /// <summary>RFC 8693 actor: on a service token, <c>{"sub": "orders"}</c>, the service acting for the subject.</summary>
    public const string Actor = "act";
}
