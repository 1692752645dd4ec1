using Grpc.Core;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests;

public sealed class SearchUsersTests(TesseraServer server) : ServerTests(server)
{
    [Theory]
    [InlineData("")]
    [InlineData("username desc")]
    [InlineData("email")]
    [InlineData("created_at desc")]
    public async Task Page_tokens_walk_every_match_once_in_order(string orderBy)
    {
        var prefix = Unique("s");
        var created = new List<User>();
        for (var i = 0; i < 11; i++)
        {
            created.Add(await CreateAsync($"{prefix}_{(i * 7) % 11:D2}"));
        }

        var seen = new List<User>();
        var token = "";
        var pages = 0;
        do
        {
            var page = await Users.SearchUsersAsync(new SearchUsersRequest { Filter = $"username:\"{prefix}_*\"", PageSize = 4, PageToken = token, OrderBy = orderBy });
            Assert.Equal(11, page.TotalSize);
            seen.AddRange(page.Users);
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0);

        Assert.Equal(3, pages);
        Assert.Equal(created.Select(u => u.Id).Order(), seen.Select(u => u.Id).Order());
        var expected = orderBy switch
        {
            "username desc" => created.OrderByDescending(u => u.Username, StringComparer.Ordinal).Select(u => u.Id),
            "email" => created.OrderBy(u => u.Email, StringComparer.Ordinal).Select(u => u.Id),
            "created_at desc" => created.OrderByDescending(u => u.CreatedAt.ToDateTimeOffset()).ThenByDescending(u => u.Id).Select(u => u.Id),
            _ => created.Select(u => u.Id),
        };
        Assert.Equal(expected, seen.Select(u => u.Id));
    }

    [Fact]
    public async Task Page_size_defaults_and_limits_follow_AIP_158()
    {
        var defaultPage = await Users.SearchUsersAsync(new SearchUsersRequest());
        Assert.True(defaultPage.Users.Count <= 50);

        await Assertions.FailsWith(StatusCode.InvalidArgument, () => Users.SearchUsersAsync(new SearchUsersRequest { PageSize = -5 }).ResponseAsync);
        var huge = await Users.SearchUsersAsync(new SearchUsersRequest { PageSize = int.MaxValue });
        Assert.True(huge.Users.Count <= 1000);
    }

    [Fact]
    public async Task A_forged_or_foreign_page_token_is_INVALID_ARGUMENT()
    {
        for (var i = 0; i < 3; i++)
        {
            await CreateAsync();
        }

        var page = await Users.SearchUsersAsync(new SearchUsersRequest { PageSize = 1 });
        Assert.NotEmpty(page.NextPageToken);

        var status = await Assertions.FailsWith(StatusCode.InvalidArgument, () =>
            Users.SearchUsersAsync(new SearchUsersRequest { PageSize = 1, PageToken = page.NextPageToken, Filter = "is_active = true" }).ResponseAsync);
        Assert.Contains("page_token", status.ViolatedFields());
        await Assertions.FailsWith(StatusCode.InvalidArgument, () =>
            Users.SearchUsersAsync(new SearchUsersRequest { PageToken = "not-a-token" }).ResponseAsync);
        await Assertions.FailsWith(StatusCode.InvalidArgument, () =>
            Users.SearchUsersAsync(new SearchUsersRequest { OrderBy = "password" }).ResponseAsync);
    }

    [Fact]
    public async Task Watching_from_a_pages_revision_misses_no_change_made_after_it()
    {
        var before = await CreateAsync();
        var page = await Users.SearchUsersAsync(new SearchUsersRequest { Filter = $"id >= {before.Id}" });
        Assert.Contains(page.Users, u => u.Id == before.Id);
        Assert.True(page.Revision > 0);

        var after = await CreateAsync();
        using var watch = Users.WatchUserChanges(new WatchUserRequest { StartRevision = page.Revision });
        var first = await watch.ResponseStream.NextAsync();

        // The first change after the page's revision is the one made after the page was read.
        Assert.Equal(after.Id, first.User.Id);
        Assert.True(first.Revision > page.Revision);
    }
}
