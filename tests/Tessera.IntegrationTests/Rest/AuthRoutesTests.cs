using System.Net;
using Grpc.Core;

namespace Tessera.IntegrationTests.Rest;

/// <summary>auth.v1.AuthService over REST, and the refusals a REST caller meets before any handler runs.</summary>
public sealed class AuthRoutesTests(RestServer fixture) : RestTests(fixture)
{
    [Fact]
    public async Task Login_refresh_and_logout_over_REST()
    {
        var username = RestServer.Unique("a");
        await Fixture.SignUpAsync(username);

        var login = (await Rest.OkAsync(HttpMethod.Post, "/v1/auth:login", json: Json.Of(new { username, password = RestServer.UserPassword }))).GetProperty("tokens");
        Assert.False(login.GetProperty("passwordChangeRequired").GetBoolean());
        var refreshed = (await Rest.OkAsync(HttpMethod.Post, "/v1/auth:refresh", json: Json.Of(new { refreshToken = login.String("refreshToken") }))).GetProperty("tokens");
        Assert.NotEqual(login.String("refreshToken"), refreshed.String("refreshToken"));
        await Rest.OkAsync(HttpMethod.Get, $"/v1/users/{refreshed.String("userId")}", refreshed.String("accessToken"));

        // A refresh token works once.
        using var reused = await Rest.PostAsync("/v1/auth:refresh", Json.Of(new { refreshToken = login.String("refreshToken") }));
        await Json.ErrorAsync(reused, HttpStatusCode.Unauthorized, StatusCode.Unauthenticated, "REFRESH_TOKEN_REUSED");

        var again = (await Rest.OkAsync(HttpMethod.Post, "/v1/auth:login", json: Json.Of(new { username, password = RestServer.UserPassword }))).GetProperty("tokens");
        Assert.Equal("{}", (await Rest.OkAsync(HttpMethod.Post, "/v1/auth:logout", json: Json.Of(new { refreshToken = again.String("refreshToken") }))).GetRawText());
        using var afterLogout = await Rest.PostAsync("/v1/auth:refresh", Json.Of(new { refreshToken = again.String("refreshToken") }));
        await Json.ErrorAsync(afterLogout, HttpStatusCode.Unauthorized, StatusCode.Unauthenticated);
    }

    [Fact]
    public async Task A_wrong_password_is_401()
    {
        using var response = await Rest.PostAsync("/v1/auth:login", Json.Of(new { username = "admin", password = "not-the-password" }));
        var status = await Json.ErrorAsync(response, HttpStatusCode.Unauthorized, StatusCode.Unauthenticated);
        Assert.NotNull(Json.Detail(status, "ErrorInfo"));
    }

    [Fact]
    public async Task ChangePassword_and_the_admins_SetPassword_over_REST()
    {
        var username = RestServer.Unique("p");
        var (id, token) = await Fixture.SignUpAsync(username);

        var changed = (await Rest.OkAsync(HttpMethod.Post, "/v1/auth:changePassword", token, Json.Of(new { currentPassword = RestServer.UserPassword, newPassword = "a-new-password-1" }))).GetProperty("tokens");
        Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), changed.String("userId"));
        await Rest.LoginAsync(username, "a-new-password-1");

        // Only an admin sets another user's password.
        using var byUser = await Rest.PostAsync($"/v1/users/{Fixture.UserId}:setPassword", Json.Of(new { newPassword = "hijacked-password" }), changed.String("accessToken"));
        await Json.ErrorAsync(byUser, HttpStatusCode.Forbidden, StatusCode.PermissionDenied);
        Assert.Equal("{}", (await Rest.OkAsync(HttpMethod.Post, $"/v1/users/{id}:setPassword", Admin, Json.Of(new { newPassword = "set-by-the-admin", requireChange = true }))).GetRawText());
        var login = (await Rest.OkAsync(HttpMethod.Post, "/v1/auth:login", json: Json.Of(new { username, password = "set-by-the-admin" }))).GetProperty("tokens");
        Assert.True(login.GetProperty("passwordChangeRequired").GetBoolean());
    }

    [Fact]
    public async Task No_token_or_a_bad_one_is_401_with_the_reason_and_a_user_on_an_admin_route_is_403()
    {
        using var none = await Rest.GetAsync($"/v1/users/{Fixture.UserId}");
        await Json.ErrorAsync(none, HttpStatusCode.Unauthorized, StatusCode.Unauthenticated, "TOKEN_MISSING");
        using var bad = await Rest.GetAsync($"/v1/users/{Fixture.UserId}", "not.a.token");
        await Json.ErrorAsync(bad, HttpStatusCode.Unauthorized, StatusCode.Unauthenticated, "TOKEN_INVALID");
        using var tampered = await Rest.GetAsync($"/v1/users/{Fixture.UserId}", Admin[..^2] + (Admin.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA"));
        await Json.ErrorAsync(tampered, HttpStatusCode.Unauthorized, StatusCode.Unauthenticated, "TOKEN_INVALID");

        using var adminOnly = await Rest.SendAsync(HttpMethod.Post, "/v1/products", Fixture.User, Json.Of(new { sku = RestServer.Unique("sku-"), name = "N" }));
        await Json.ErrorAsync(adminOnly, HttpStatusCode.Forbidden, StatusCode.PermissionDenied);
        using var otherUser = await Rest.GetAsync("/v1/users/1", Fixture.User);
        await Json.ErrorAsync(otherUser, HttpStatusCode.Forbidden, StatusCode.PermissionDenied);
    }
}
