using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests.Operations;

/// <summary>
/// Registrations that would make every call cost more, whatever service it is for (bench/README.md, "The per-call
/// stack, second round"): each of these once did, found by an allocation profile of GetUser.
/// </summary>
public sealed class PerCallCostTests
{
    [Fact]
    public async Task A_server_with_every_service_and_auth_none_registers_nothing_that_runs_on_every_call()
    {
        await using var server = new TesseraServer();
        await server.InitializeAsync();

        // With it registered, ASP.NET Core sets an async-local HttpContext on every call and stops reusing HttpContext
        // objects; the order service propagates its incoming deadline itself instead (IncomingDeadline).
        Assert.Null(server.Services.GetService<IHttpContextAccessor>());
        // Were a scheme registered, ASP.NET Core would add its authentication middleware by itself and run the scheme's
        // handler on every call, though with --auth none every caller is the same anonymous admin.
        Assert.Null(server.Services.GetService<IAuthenticationSchemeProvider>());
        Assert.Equal("one", (await server.Users.CreateUserAsync(new CreateUserRequest { Username = "one", Email = "one@example.com" })).User.Username);
    }
}
