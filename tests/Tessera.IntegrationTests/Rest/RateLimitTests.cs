using System.Net;
using Grpc.Core;
using Tessera.IntegrationTests.Security;

namespace Tessera.IntegrationTests.Rest;

public sealed class RateLimitTests
{
    [Fact]
    public async Task A_REST_caller_over_the_rate_limit_gets_429_with_RetryInfo()
    {
        Environment.SetEnvironmentVariable("TESSERA_ADMIN_PASSWORD", AuthServer.AdminPassword);
        await using var server = TesseraServer.With(["--rate-limit", "5"]);
        await server.InitializeAsync();
        using var rest = new RestClient(server.WebAddress!);
        var token = await rest.LoginAsync("admin", AuthServer.AdminPassword);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 20; i++)
        {
            var response = await rest.GetAsync("/v1/users/1", token);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && refused is null)
            {
                refused = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.InRange(statuses.Count(s => s == HttpStatusCode.OK), 5, 10);
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.NotNull(refused);
        using (refused)
        {
            var status = await Json.ErrorAsync(refused, HttpStatusCode.TooManyRequests, StatusCode.ResourceExhausted);
            var retry = Json.Detail(status, "RetryInfo");
            Assert.NotNull(retry);
            var delay = retry.Value.GetProperty("retryDelay").GetString()!;
            Assert.EndsWith("s", delay, StringComparison.Ordinal);
            Assert.True(double.Parse(delay[..^1], System.Globalization.CultureInfo.InvariantCulture) > 0, delay);
        }
    }
}
