using Grpc.Core;
using Tessera.Contracts.Auth.V1;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests.Security;

/// <summary>A server with authentication on, its admin signed in, and two ordinary users (alice, bob) signed in.</summary>
public sealed class AuthServer : IAsyncLifetime
{
    public const string AdminPassword = "admin-password-for-tests";
    public const string UserPassword = "user-password-for-tests";

    static AuthServer()
    {
        Environment.SetEnvironmentVariable("TESSERA_ADMIN_PASSWORD", AdminPassword);
    }

    public TesseraServer Server { get; } = TesseraServer.With([]);

    public AuthService.AuthServiceClient Auth { get; private set; } = null!;

    public UserService.UserServiceClient Users => Server.Users;

    public TokenPair Admin { get; private set; } = null!;

    public User Alice { get; private set; } = null!;

    public TokenPair AliceTokens { get; private set; } = null!;

    public User Bob { get; private set; } = null!;

    public TokenPair BobTokens { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        Auth = new AuthService.AuthServiceClient(Server.Channel);
        Admin = await LoginAsync("admin", AdminPassword);
        (Alice, AliceTokens) = await SignUpAsync("alice");
        (Bob, BobTokens) = await SignUpAsync("bob");
    }

    public Task DisposeAsync() => Server.DisposeAsync();

    public async Task<TokenPair> LoginAsync(string username, string password) =>
        (await Auth.LoginAsync(new LoginRequest { Username = username, Password = password })).Tokens;

    public async Task<(User, TokenPair)> SignUpAsync(string username)
    {
        var user = (await Users.CreateUserAsync(new CreateUserRequest { Username = username, Email = $"{username}@example.com", Password = UserPassword })).User;
        return (user, await LoginAsync(username, UserPassword));
    }

    public static Metadata Bearer(TokenPair? tokens) => Bearer(tokens?.AccessToken);

    public static Metadata Bearer(string? accessToken) =>
        accessToken is null ? [] : new Metadata { { "authorization", $"Bearer {accessToken}" } };
}
