using System.Net;
using Grpc.Core;

namespace Tessera.IntegrationTests.Rest;

/// <summary>HTTP's conditional requests on the REST face: ETag on reads and writes, If-Match guarding PATCH and DELETE.</summary>
public sealed class EtagTests(RestServer fixture) : RestTests(fixture)
{
    [Fact]
    public async Task If_Match_guards_a_user_update_and_a_stale_one_is_412_leaving_the_user_unchanged()
    {
        var (id, etag) = await NewUserAsync();

        using var update = await PatchAsync($"/v1/users/{id}", etag, new { fullName = "First" });
        var updated = await Json.ExpectAsync(update, HttpStatusCode.OK);
        var newEtag = update.Headers.ETag!.ToString();
        Assert.NotEqual(etag, newEtag);
        Assert.Equal($"\"{updated.String("etag")}\"", newEtag);

        using var stale = await PatchAsync($"/v1/users/{id}", etag, new { fullName = "Lost" });
        await Json.ErrorAsync(stale, HttpStatusCode.PreconditionFailed, StatusCode.Aborted, "ETAG_MISMATCH");
        using var read = await Rest.GetAsync($"/v1/users/{id}", Admin);
        var current = await Json.ExpectAsync(read, HttpStatusCode.OK);
        Assert.Equal("First", current.String("fullName"));
        Assert.Equal(newEtag, read.Headers.ETag!.ToString());

        // "*" matches any version: no guard.
        using var any = await PatchAsync($"/v1/users/{id}", "*", new { fullName = "Any" });
        Assert.Equal("Any", (await Json.ExpectAsync(any, HttpStatusCode.OK)).String("fullName"));
    }

    [Fact]
    public async Task If_Match_guards_a_user_delete()
    {
        var (id, etag) = await NewUserAsync();
        using (var changed = await PatchAsync($"/v1/users/{id}", etag, new { fullName = "Changed" }))
        {
            await Json.ExpectAsync(changed, HttpStatusCode.OK);
        }

        using var stale = await Rest.SendAsync(HttpMethod.Delete, $"/v1/users/{id}", Admin, headers: IfMatch(etag));
        await Json.ErrorAsync(stale, HttpStatusCode.PreconditionFailed, StatusCode.Aborted, "ETAG_MISMATCH");
        using var stillThere = await Rest.GetAsync($"/v1/users/{id}", Admin);
        var current = stillThere.Headers.ETag!.ToString();
        await Json.ExpectAsync(stillThere, HttpStatusCode.OK);

        using var deleted = await Rest.SendAsync(HttpMethod.Delete, $"/v1/users/{id}", Admin, headers: IfMatch(current));
        await Json.ExpectAsync(deleted, HttpStatusCode.OK);
        using var gone = await Rest.GetAsync($"/v1/users/{id}", Admin);
        await Json.ErrorAsync(gone, HttpStatusCode.NotFound, StatusCode.NotFound);
    }

    [Fact]
    public async Task Two_etags_or_one_differing_from_the_body_are_400()
    {
        var (id, etag) = await NewUserAsync();

        using var two = await PatchAsync($"/v1/users/{id}", $"{etag}, \"v9\"", new { fullName = "Two" });
        var status = await Json.ErrorAsync(two, HttpStatusCode.BadRequest, StatusCode.InvalidArgument);
        Assert.Contains("If-Match", Json.ViolatedFields(status));
        using var differing = await PatchAsync($"/v1/users/{id}", etag, new { fullName = "Differing", etag = "v9" });
        await Json.ErrorAsync(differing, HttpStatusCode.BadRequest, StatusCode.InvalidArgument);

        using var read = await Rest.GetAsync($"/v1/users/{id}", Admin);
        Assert.Equal(etag, read.Headers.ETag!.ToString());
    }

    [Fact]
    public async Task If_Match_guards_a_product_update_with_the_products_own_etag()
    {
        var sku = RestServer.Unique("sku-");
        using var created = await Rest.PostAsync("/v1/products", Json.Of(new { sku, name = "Lamp", price = new { currencyCode = "USD", minorUnits = "1250" }, available = "3", active = true }), Admin);
        var product = (await Json.ExpectAsync(created, HttpStatusCode.OK)).GetProperty("product");
        // A product's etag is already an entity tag ("v1", AIP-154); the header carries it once quoted, not twice.
        var etag = created.Headers.ETag!.ToString();
        Assert.Equal(product.String("etag"), etag);
        Assert.Matches("^\"[^\"]+\"$", etag);
        using (var read = await Rest.GetAsync($"/v1/products/{sku}", Admin))
        {
            Assert.Equal(etag, read.Headers.ETag!.ToString());
        }

        using var update = await PatchAsync($"/v1/products/{sku}?updateMask=name", etag, new { name = "Lamp II" });
        Assert.Equal("Lamp II", (await Json.ExpectAsync(update, HttpStatusCode.OK)).GetProperty("product").String("name"));
        var newEtag = update.Headers.ETag!.ToString();
        Assert.NotEqual(etag, newEtag);

        using var stale = await PatchAsync($"/v1/products/{sku}?updateMask=name", etag, new { name = "Lost" });
        await Json.ErrorAsync(stale, HttpStatusCode.PreconditionFailed, StatusCode.Aborted, "ETAG_MISMATCH");
        var current = (await Rest.OkAsync(HttpMethod.Get, $"/v1/products/{sku}", Admin)).GetProperty("product");
        Assert.Equal("Lamp II", current.String("name"));
        Assert.Equal(newEtag, current.String("etag"));

        using var any = await PatchAsync($"/v1/products/{sku}?updateMask=name", "*", new { name = "Lamp III" });
        Assert.Equal("Lamp III", (await Json.ExpectAsync(any, HttpStatusCode.OK)).GetProperty("product").String("name"));
    }

    private async Task<(string Id, string Etag)> NewUserAsync()
    {
        var username = RestServer.Unique("e");
        using var created = await Rest.PostAsync("/v1/users", Json.Of(new { username, email = $"{username}@example.com" }), Admin);
        var user = (await Json.ExpectAsync(created, HttpStatusCode.OK)).GetProperty("user");
        return (user.String("id"), created.Headers.ETag!.ToString());
    }

    private Task<HttpResponseMessage> PatchAsync(string path, string ifMatch, object body) =>
        Rest.SendAsync(HttpMethod.Patch, path, Admin, Json.Of(body), headers: IfMatch(ifMatch));

    private static Dictionary<string, string> IfMatch(string etag) => new() { ["If-Match"] = etag };
}
