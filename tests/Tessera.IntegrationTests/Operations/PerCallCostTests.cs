using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests.Operations;

/// <summary>
/// Registrations that would make every call cost more, whatever service it is for (bench/README.md, "The per-call
/// stack"): each of these once did, found by an allocation profile of GetUser.
/// </summary>
public sealed class PerCallCostTests
{
    [Fact]
    public async Task A_server_with_every_service_keeps_no_http_context_accessor()
    {
        // With it registered, ASP.NET Core sets an async-local HttpContext on every call and stops reusing HttpContext
        // objects; the order service propagates its incoming deadline itself instead (IncomingDeadline).
        await using var server = new TesseraServer();
        await server.InitializeAsync();

        Assert.Null(server.Services.GetService<IHttpContextAccessor>());
        Assert.Equal("one", (await server.Users.CreateUserAsync(new CreateUserRequest { Username = "one", Email = "one@example.com" })).User.Username);
    }

    [Fact]
    public async Task With_auth_none_no_authentication_scheme_runs_for_each_call()
    {
        // Were one registered, ASP.NET Core would add its authentication middleware by itself and run the scheme's
        // handler on every call, though every caller is the same anonymous admin.
        await using var server = new TesseraServer();
        await server.InitializeAsync();

        Assert.Null(server.Services.GetService<IAuthenticationSchemeProvider>());
        Assert.Equal("two", (await server.Users.CreateUserAsync(new CreateUserRequest { Username = "two", Email = "two@example.com" })).User.Username);
    }
}
