using System.Net;
using Grpc.Core;

namespace Tessera.IntegrationTests.Rest;

/// <summary>A body the server cannot take is a 400 that names the problem (and the field), and changes nothing.</summary>
public sealed class BadJsonTests(RestServer fixture) : RestTests(fixture)
{
    public static TheoryData<string, string, string> Bodies => new()
    {
        // body, the field the BadRequest names ("" = none), words the message must hold
        { "{\"fullName\":", "", "not valid JSON" },
        { "{\"fullName\":\"X\",\"nickame\":\"typo\"}", "nickame", "no field 'nickame'" },
        { "{\"fullName\":42}", "fullName", "must be a string" },
        { "{\"isActive\":\"yes\"}", "isActive", "true or false" },
        { "{\"roles\":\"admin\"}", "roles", "JSON array" },
        { "{\"metadata\":{\"team\":7}}", "metadata.team", "must be a string" },
        { "[1,2]", "", "JSON object" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_bad_body_is_400_BAD_JSON_naming_the_problem_and_the_user_is_unchanged(string body, string field, string words)
    {
        var (id, before) = await NewUserAsync();

        using var response = await Rest.SendAsync(HttpMethod.Patch, $"/v1/users/{id}", Admin, body);
        var status = await Json.ErrorAsync(response, HttpStatusCode.BadRequest, StatusCode.InvalidArgument, "BAD_JSON");
        Assert.Contains(words, status.String("message"), StringComparison.Ordinal);
        Assert.Equal(field.Length == 0 ? [] : [field], Json.ViolatedFields(status));

        var after = await Rest.OkAsync(HttpMethod.Get, $"/v1/users/{id}", Admin);
        Assert.Equal(before, after.GetRawText());
    }

    [Fact]
    public async Task A_wrong_kind_inside_a_nested_message_names_its_path()
    {
        using var response = await Rest.PostAsync("/v1/products", Json.Of(new { sku = RestServer.Unique("sku-"), name = "N", price = new { currencyCode = "USD", minorUnits = true } }), Admin);
        var status = await Json.ErrorAsync(response, HttpStatusCode.BadRequest, StatusCode.InvalidArgument, "BAD_JSON");
        Assert.Equal(["price.minorUnits"], Json.ViolatedFields(status));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_body_that_is_not_JSON_by_its_content_type_is_400_naming_the_type(string contentType)
    {
        var (id, before) = await NewUserAsync();

        using var response = await Rest.SendAsync(HttpMethod.Patch, $"/v1/users/{id}", Admin, "{\"fullName\":\"Other\"}", contentType);
        var status = await Json.ErrorAsync(response, HttpStatusCode.BadRequest, StatusCode.InvalidArgument);
        Assert.Contains(contentType, status.String("message"), StringComparison.Ordinal);
        Assert.Equal(before, (await Rest.OkAsync(HttpMethod.Get, $"/v1/users/{id}", Admin)).GetRawText());
    }

    /// <summary>
    /// fuzz/regressions/rest: bodies with bytes that are not UTF-8 or with an escaped lone surrogate (minimized from what the network fuzzer sent, which
    /// the server answered with 500 and a logged stack trace: the check read a property name that could not be decoded).
    /// </summary>
    [Fact]
    public async Task A_body_whose_text_cannot_be_decoded_is_400_and_the_user_is_unchanged()
    {
        var bodies = Directory.GetFiles(Path.Combine(Peers.RepositoryRoot, "fuzz", "regressions", "rest"));
        Assert.NotEmpty(bodies);
        var (id, before) = await NewUserAsync();
        foreach (var body in bodies)
        {
            using var response = await Rest.SendBytesAsync(HttpMethod.Patch, $"/v1/users/{id}", Admin, File.ReadAllBytes(body));
            await Json.ErrorAsync(response, HttpStatusCode.BadRequest, StatusCode.InvalidArgument);
        }

        Assert.Equal(before, (await Rest.OkAsync(HttpMethod.Get, $"/v1/users/{id}", Admin)).GetRawText());
    }

    private async Task<(string Id, string Json)> NewUserAsync()
    {
        var username = RestServer.Unique("j");
        var user = (await Rest.OkAsync(HttpMethod.Post, "/v1/users", Admin, Json.Of(new { username, email = $"{username}@example.com", fullName = "Before" }))).GetProperty("user");
        return (user.String("id"), (await Rest.OkAsync(HttpMethod.Get, $"/v1/users/{user.String("id")}", Admin)).GetRawText());
    }
}
