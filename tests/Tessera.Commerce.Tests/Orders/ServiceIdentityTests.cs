using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Commerce.Orders.Calls;
using Tessera.Users.Auth;
using Tessera.Users.Tests;

namespace Tessera.Commerce.Tests.Orders;

/// <summary>Who the order service's calls are (service tokens) and where they go (this server's own address).</summary>
public sealed class ServiceIdentityTests
{
    private static readonly JwtSettings Settings = new(
        [new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = "k1" }], "tessera", "tessera", TimeSpan.FromMinutes(15), TimeSpan.FromDays(1));

    [Fact]
    public async Task A_call_carries_a_60_second_service_token_for_the_buyer_acting_as_orders()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var identity = new ServiceIdentity(new TokenIssuer(Settings, clock));

        var options = identity.For(42, DateTime.UtcNow.AddSeconds(5), default);

        var header = Assert.Single(options.Headers!, h => h.Key == "authorization").Value;
        Assert.StartsWith("Bearer ", header, StringComparison.Ordinal);
        var validated = await new JsonWebTokenHandler().ValidateTokenAsync(header["Bearer ".Length..], Settings.ValidationParameters());
        Assert.True(validated.IsValid, validated.Exception?.Message);
        var token = (JsonWebToken)validated.SecurityToken;
        Assert.Equal("42", token.Subject);
        Assert.Equal(Roles.Service, token.GetClaim(TokenClaims.Role).Value);
        Assert.Equal("orders", JsonDocument.Parse(token.GetClaim(TokenClaims.Actor).Value).RootElement.GetProperty("sub").GetString());
        Assert.False(token.TryGetClaim(TokenClaims.SecurityStamp, out _));
        Assert.Equal(TimeSpan.FromSeconds(60), token.ValidTo - token.IssuedAt);
    }

    [Fact]
    public void Without_authentication_a_call_carries_no_token()
    {
        var options = new ServiceIdentity(null).For(42, DateTime.UtcNow.AddSeconds(5), default);

        Assert.Null(options.Headers);
    }

    [Theory]
    [InlineData("http://0.0.0.0:5123", "http://127.0.0.1:5123/")]
    [InlineData("https://[::]:5124", "https://[::1]:5124/")]
    [InlineData("http://127.0.0.1:5125", "http://127.0.0.1:5125/")]
    public void A_peer_without_an_address_is_this_servers_first_listening_address_on_loopback(string listening, string expected)
    {
        var endpoints = new PeerEndpoints(new ListeningServer(listening, "http://127.0.0.1:9464"), new ConfigurationBuilder().Build());

        Assert.Equal(new Uri(expected), endpoints.AddressOf(null));
        Assert.Equal(new Uri("http://10.0.0.5:50051"), endpoints.AddressOf(new Uri("http://10.0.0.5:50051")));
    }

    private sealed class ListeningServer : IServer
    {
        public ListeningServer(params string[] addresses)
        {
            var feature = new ServerAddressesFeature();
            foreach (var address in addresses)
            {
                feature.Addresses.Add(address);
            }

            Features.Set<IServerAddressesFeature>(feature);
        }

        public IFeatureCollection Features { get; } = new FeatureCollection();

        public void Dispose()
        {
        }

        public Task StartAsync<TContext>(Microsoft.AspNetCore.Hosting.Server.IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
