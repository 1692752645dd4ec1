using Grpc.Core;
using Tessera.Client;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests.Security;

/// <summary>
/// TLS and mutual TLS end to end: real servers on https loopback ports with the certificates of
/// <c>tessera certs dev</c>, called through the C# SDK as a user would.
/// </summary>
public sealed class TlsTests(TlsCertificates certs) : IClassFixture<TlsCertificates>
{
    [Fact]
    public async Task The_sdk_trusting_the_dev_ca_calls_a_tls_server()
    {
        await using var server = await StartAsync(certs.ServerArgs());
        Assert.StartsWith("https://127.0.0.1:", server.Address, StringComparison.Ordinal); // the later --urls wins over the fixture's http one

        using var client = Client(server, ca: certs.Ca);
        var created = (await client.CreateUserAsync(NewUser("tls"))).User;
        var read = await client.GetUserAsync(created.Id);

        Assert.Equal(created.Username, read.Username);
        AssertNoServerErrors(server);
    }

    [Fact]
    public async Task A_plain_http_client_cannot_talk_to_a_tls_server()
    {
        await using var server = await StartAsync(certs.ServerArgs());
        using var client = new TesseraClient(new TesseraClientOptions { Address = server.Address.Replace("https://", "http://", StringComparison.Ordinal), DefaultDeadline = TimeSpan.FromSeconds(10) });

        var e = await Assert.ThrowsAnyAsync<TesseraException>(() => client.CreateUserAsync(NewUser("plain")));

        Assert.Contains(e.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        await AssertNoUsersAsync(server);
    }

    public static TheoryData<string, string?> UntrustedClients => new()
    {
        { "another CA", "other" },
        { "the system trust store", null },
    };

    [Theory]
    [MemberData(nameof(UntrustedClients))]
    public async Task A_client_that_does_not_trust_the_servers_ca_is_refused_and_nothing_is_created(string trusting, string? ca)
    {
        await using var server = await StartAsync(certs.ServerArgs());
        using var client = Client(server, ca: ca is null ? null : certs.OtherCa);

        var e = await Assert.ThrowsAnyAsync<TesseraException>(() => client.CreateUserAsync(NewUser("untrusted")));

        // grpc-dotnet reports a failed certificate check as INTERNAL (a handshake the server broke off is UNAVAILABLE).
        Assert.True(e.StatusCode == StatusCode.Internal, $"trusting {trusting}: {e.StatusCode}: {e.Message}");
        Assert.Contains("certificate", e.Message, StringComparison.OrdinalIgnoreCase);
        await AssertNoUsersAsync(server);
    }

    [Fact]
    public async Task The_host_name_is_checked_even_for_a_certificate_from_the_trusted_ca()
    {
        await using var server = await StartAsync(
            ["--urls", "https://127.0.0.1:0", "--tls-cert", certs.WrongNameCertificate, "--tls-key", certs.WrongNameKey, "--auth", "none"]);
        using var client = Client(server, ca: certs.Ca);

        var e = await Assert.ThrowsAnyAsync<TesseraException>(() => client.CreateUserAsync(NewUser("wrongname")));

        Assert.Equal(StatusCode.Internal, e.StatusCode);
        Assert.Contains("RemoteCertificateNameMismatch", e.Message, StringComparison.Ordinal);
        await AssertNoUsersAsync(server, certs.WrongNameCertificate);
    }

    [Fact]
    public async Task Under_mtls_a_client_with_the_dev_client_certificate_succeeds()
    {
        await using var server = await StartAsync(certs.ServerArgs(mutual: true));
        using var client = Client(server, ca: certs.Ca, certificate: certs.ClientCertificate, key: certs.ClientKey);

        var created = (await client.CreateUserAsync(NewUser("mtls"))).User;

        Assert.Equal(created.Id, (await client.GetUserAsync(created.Id)).Id);
        AssertNoServerErrors(server);
    }

    public static TheoryData<string, bool> RefusedUnderMtls => new()
    {
        { "no client certificate", false },
        { "a client certificate from another CA", true },
    };

    [Theory]
    [MemberData(nameof(RefusedUnderMtls))]
    public async Task Under_mtls_a_client_without_an_accepted_certificate_is_refused_with_UNAVAILABLE_and_nothing_is_created(string presenting, bool foreign)
    {
        await using var server = await StartAsync(certs.ServerArgs(mutual: true));
        using var client = foreign
            ? Client(server, ca: certs.Ca, certificate: certs.OtherClientCertificate, key: certs.OtherClientKey)
            : Client(server, ca: certs.Ca);

        var e = await Assert.ThrowsAnyAsync<TesseraException>(() => client.CreateUserAsync(NewUser("refused")));

        Assert.True(e is UnavailableException, $"presenting {presenting}: {e.StatusCode}: {e.Message}");
        using var trusted = Client(server, ca: certs.Ca, certificate: certs.ClientCertificate, key: certs.ClientKey);
        Assert.Equal(0, (await trusted.SearchUsersAsync(new SearchUsersRequest())).TotalSize);
        AssertNoServerErrors(server);
    }

    [Fact]
    public async Task Login_over_tls_makes_the_sdk_send_the_token_refresh_replaces_it_and_logout_clears_it()
    {
        await using var server = await StartAsync(certs.ServerArgs(auth: "jwt"));
        using var client = Client(server, ca: certs.Ca);
        var username = "tok" + Guid.NewGuid().ToString("N")[..8];
        var user = (await client.CreateUserAsync(new CreateUserRequest { Username = username, Email = $"{username}@example.com", Password = "a long password" })).User;
        await Assert.ThrowsAsync<UnauthenticatedException>(() => client.GetUserAsync(user.Id));
        await Assert.ThrowsAsync<UnauthenticatedException>(() => client.LoginAsync(username, "the wrong password"));
        Assert.Null(client.AccessToken);

        var tokens = await client.LoginAsync(username, "a long password");

        Assert.Equal(tokens.AccessToken, client.AccessToken);
        Assert.Equal(user.Id, tokens.UserId);
        Assert.Equal(username, (await client.GetUserAsync(user.Id)).Username);

        var refreshed = await client.RefreshAsync(tokens.RefreshToken);
        Assert.Equal(refreshed.AccessToken, client.AccessToken);
        Assert.Equal(username, (await client.GetUserAsync(user.Id)).Username);

        await client.LogoutAsync(refreshed.RefreshToken);
        Assert.Null(client.AccessToken);
        await Assert.ThrowsAsync<UnauthenticatedException>(() => client.GetUserAsync(user.Id));
        await Assert.ThrowsAsync<UnauthenticatedException>(() => client.RefreshAsync(refreshed.RefreshToken));
    }

    private static async Task<TesseraServer> StartAsync(string[] args)
    {
        var server = TesseraServer.With(args);
        await server.InitializeAsync();
        return server;
    }

    private static TesseraClient Client(TesseraServer server, string? ca = null, string? certificate = null, string? key = null) =>
        new(new TesseraClientOptions
        {
            Address = server.Address,
            CaCertificatePath = ca,
            ClientCertificatePath = certificate,
            ClientKeyPath = key,
            DefaultDeadline = TimeSpan.FromSeconds(10),
        });

    private static CreateUserRequest NewUser(string prefix)
    {
        var username = prefix + Guid.NewGuid().ToString("N")[..8];
        return new CreateUserRequest { Username = username, Email = $"{username}@example.com" };
    }

    /// <summary>Nothing reached the store: a client the server does trust finds no users.</summary>
    private async Task AssertNoUsersAsync(TesseraServer server, string? serverCertificate = null)
    {
        // For the wrong-name server, look through a channel that accepts exactly that certificate.
        using var client = serverCertificate is null
            ? Client(server, ca: certs.Ca)
            : new TesseraClient(PinnedChannel(server.Address, serverCertificate));
        Assert.Equal(0, (await client.SearchUsersAsync(new SearchUsersRequest())).TotalSize);
        AssertNoServerErrors(server);
    }

    private static Grpc.Net.Client.GrpcChannel PinnedChannel(string address, string certificatePath)
    {
        using var expected = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath));
        var thumbprint = expected.GetCertHashString();
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) =>
            presented is not null && presented.GetCertHashString() == thumbprint;
        return Grpc.Net.Client.GrpcChannel.ForAddress(address, new Grpc.Net.Client.GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    private static void AssertNoServerErrors(TesseraServer server) =>
        Assert.True(server.Errors.IsEmpty, "unexpected errors in the server log:\n" + string.Join("\n", server.Errors));
}
