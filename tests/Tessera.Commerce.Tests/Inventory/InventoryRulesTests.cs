using Tessera.Commerce.Inventory;

namespace Tessera.Commerce.Tests.Inventory;

public sealed class InventoryRulesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("Lamp-01")]
    [InlineData("x.y_z-9")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Accepts_well_formed_skus(string sku) => Assert.Null(InventoryRules.SkuProblem(sku));

    [Theory]
    [InlineData("")]
    [InlineData("with space")]
    [InlineData("ünï")]
    [InlineData("a/b")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData(null)]
    public void Refuses_other_skus(string? sku) => Assert.NotNull(InventoryRules.SkuProblem(sku));

    [Fact]
    public void Skus_fold_to_one_key_whatever_the_case() => Assert.Equal(InventoryRules.Fold("Lamp-01"), InventoryRules.Fold("LAMP-01"));

    [Fact]
    public void Ttl_is_one_second_to_a_day()
    {
        Assert.Null(InventoryRules.TtlProblem(TimeSpan.FromSeconds(1)));
        Assert.Null(InventoryRules.TtlProblem(TimeSpan.FromHours(24)));
        Assert.NotNull(InventoryRules.TtlProblem(TimeSpan.FromMilliseconds(999)));
        Assert.NotNull(InventoryRules.TtlProblem(TimeSpan.FromHours(24) + TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void Etags_name_their_version_and_nothing_else_parses()
    {
        Assert.Equal(42, InventoryMapping.VersionOf(InventoryMapping.Etag(42)));
        Assert.Null(InventoryMapping.VersionOf("42"));
        Assert.Null(InventoryMapping.VersionOf("\"v\""));
        Assert.Null(InventoryMapping.VersionOf("\"v-1\""));
        Assert.Null(InventoryMapping.VersionOf("v"));
    }

    [Fact]
    public void An_etag_without_its_quotes_names_the_same_version()
    {
        // As an HTTP If-Match header's entity tag reaches the service (the REST face takes the quotes off).
        Assert.Equal(42, InventoryMapping.VersionOf("v42"));
    }

    [Fact]
    public void Out_of_stock_names_every_short_sku_and_its_stock()
    {
        var error = InventoryErrors.OutOfStock([("a", 0), ("B", 2)]);
        Assert.Equal((CommerceFailure.FailedPrecondition, "inventory.v1.tessera", "OUT_OF_STOCK"), (error.Failure, error.Domain, error.Reason));
        Assert.Equal("a,B", error.Metadata["skus"]);
        Assert.Equal("a=0,B=2", error.Metadata["available"]);
    }
}
