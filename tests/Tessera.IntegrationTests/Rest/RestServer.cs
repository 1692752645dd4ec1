using Tessera.IntegrationTests.Security;

namespace Tessera.IntegrationTests.Rest;

/// <summary>
/// A server with authentication on and the bench service, called only through its REST face: the admin signed in
/// through <c>POST /v1/auth:login</c>, and one ordinary user who signed up and signed in the same way.
/// </summary>
public sealed class RestServer : IAsyncLifetime
{
    public const string UserPassword = AuthServer.UserPassword;

    static RestServer()
    {
        Environment.SetEnvironmentVariable("TESSERA_ADMIN_PASSWORD", AuthServer.AdminPassword);
    }

    public TesseraServer Server { get; } = TesseraServer.With(["--bench-service", "true"]);

    public RestClient Rest { get; private set; } = null!;

    public string Admin { get; private set; } = "";

    /// <summary>An ordinary user's access token.</summary>
    public string User { get; private set; } = "";

    public long UserId { get; private set; }

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        Rest = new RestClient(Server.WebAddress!);
        Admin = await Rest.LoginAsync("admin", AuthServer.AdminPassword);
        (UserId, User) = await SignUpAsync(Unique("erin"));
    }

    /// <summary>Signs a new user up (POST /v1/users, public) and in; their id and access token.</summary>
    public async Task<(long Id, string Token)> SignUpAsync(string username)
    {
        var created = await Rest.OkAsync(HttpMethod.Post, "/v1/users", json: Json.Of(new { username, email = $"{username}@example.com", password = UserPassword }));
        var id = long.Parse(created.GetProperty("user").String("id"), System.Globalization.CultureInfo.InvariantCulture);
        return (id, await Rest.LoginAsync(username, UserPassword));
    }

    public static string Unique(string prefix) => $"{prefix}{Guid.NewGuid().ToString("N")[..10]}";

    public async Task DisposeAsync()
    {
        Rest?.Dispose();
        await Server.DisposeAsync();
    }
}
