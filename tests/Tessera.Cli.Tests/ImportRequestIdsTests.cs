using Tessera.Cli.Import;
using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Tests;

public sealed class ImportRequestIdsTests
{
    private static CreateUserRequest Ada() => new() { Username = "ada", Email = "ada@example.com", FullName = "Ada", Password = "first password", Roles = { "dev" } };

    [Fact]
    public void The_same_user_gets_the_same_id_whatever_its_password()
    {
        var other = Ada();
        other.Password = "another password";

        Assert.Equal(ImportRequestIds.For(Ada()), ImportRequestIds.For(other));
        Assert.Matches("^import-[0-9a-f]{32}$", ImportRequestIds.For(Ada()));
        Assert.DoesNotContain("password", ImportRequestIds.For(Ada()), StringComparison.Ordinal);
    }

    [Fact]
    public void Any_other_field_changes_the_id()
    {
        var variants = new List<CreateUserRequest> { Ada() };
        variants.Add(Ada()); variants[^1].Username = "ada2";
        variants.Add(Ada()); variants[^1].Email = "ada2@example.com";
        variants.Add(Ada()); variants[^1].FullName = "Ada L";
        variants.Add(Ada()); variants[^1].Nickname = "";
        variants.Add(Ada()); variants[^1].Roles.Add("admin");
        variants.Add(Ada()); variants[^1].Metadata.Add("team", "x");

        // Fields are length-prefixed: moving text from one field to the next is a different user.
        variants.Add(new CreateUserRequest { Username = "ad", Email = "aada@example.com", FullName = "Ada", Roles = { "dev" } });

        Assert.Equal(variants.Count, variants.Select(ImportRequestIds.For).Distinct().Count());
    }

    [Fact]
    public void Metadata_order_does_not_matter_and_a_given_request_id_is_kept()
    {
        var one = Ada();
        one.Metadata.Add("a", "1");
        one.Metadata.Add("b", "2");
        var two = Ada();
        two.Metadata.Add("b", "2");
        two.Metadata.Add("a", "1");
        var own = Ada();
        own.RequestId = "mine";

        Assert.Equal(ImportRequestIds.For(one), ImportRequestIds.For(two));
        Assert.Equal("mine", ImportRequestIds.For(own));
    }
}
