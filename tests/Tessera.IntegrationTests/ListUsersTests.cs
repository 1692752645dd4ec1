using Grpc.Core;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests;

public sealed class ListUsersTests(TesseraServer server) : ServerTests(server)
{
    private async Task<(string Prefix, List<User> Users)> SeedAsync(int count)
    {
        var prefix = Unique("l");
        var users = new List<User>();
        for (var i = 0; i < count; i++)
        {
            users.Add(await CreateAsync($"{prefix}_{i:D3}"));
        }

        return (prefix, users);
    }

    private async Task<List<User>> ListAsync(ListUsersRequest request) =>
        await Users.ListUsers(request).ResponseStream.ReadAllAsync().ToListAsync();

    [Fact]
    public async Task Pages_split_the_filtered_users_in_id_order()
    {
        var (prefix, seeded) = await SeedAsync(7);
        var filter = $"username:\"{prefix}_*\"";

        var page1 = await ListAsync(new ListUsersRequest { Filter = filter, Page = 1, PageSize = 3 });
        var page3 = await ListAsync(new ListUsersRequest { Filter = filter, Page = 3, PageSize = 3 });
        var page4 = await ListAsync(new ListUsersRequest { Filter = filter, Page = 4, PageSize = 3 });
        var all = await ListAsync(new ListUsersRequest { Filter = filter });

        Assert.Equal(seeded.Take(3).Select(u => u.Id), page1.Select(u => u.Id));
        Assert.Equal([seeded[6].Id], page3.Select(u => u.Id));
        Assert.Empty(page4);
        Assert.Equal(seeded.Select(u => u.Id), all.Select(u => u.Id));
    }

    [Fact]
    public async Task Filters_combine_fields_with_AND_OR_NOT()
    {
        var (prefix, seeded) = await SeedAsync(4);
        await Users.UpdateUserAsync(new UpdateUserRequest
        {
            UserId = seeded[1].Id,
            User = new User { IsActive = false, Roles = { "admin" } },
            UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "is_active", "roles" } },
        });

        var inactive = await ListAsync(new ListUsersRequest { Filter = $"username:\"{prefix}_*\" AND is_active = false" });
        var admins = await ListAsync(new ListUsersRequest { Filter = $"username:\"{prefix}_*\" AND roles:admin" });
        var notAdmins = await ListAsync(new ListUsersRequest { Filter = $"username:\"{prefix}_*\" AND NOT roles:admin" });
        var either = await ListAsync(new ListUsersRequest { Filter = $"username = \"{prefix}_000\" OR email = \"{prefix}_003@EXAMPLE.com\"" });
        var since = await ListAsync(new ListUsersRequest { Filter = $"username:\"{prefix}_*\" AND created_at >= \"{seeded[0].CreatedAt.ToDateTimeOffset():O}\"" });

        Assert.Equal([seeded[1].Id], inactive.Select(u => u.Id));
        Assert.Equal([seeded[1].Id], admins.Select(u => u.Id));
        Assert.Equal(3, notAdmins.Count);
        Assert.Equal([seeded[0].Id, seeded[3].Id], either.Select(u => u.Id));
        Assert.Equal(4, since.Count);
    }

    [Theory]
    [InlineData("username = ", 11)]
    [InlineData("colour = red", 0)]
    [InlineData("username:\"abc", 9)]
    [InlineData("(username = a", 13)]
    [InlineData("is_active = maybe", 12)]
    [InlineData("username = a AND", 16)]
    public async Task A_malformed_filter_is_INVALID_ARGUMENT_saying_where(string filter, int position)
    {
        var status = await Assertions.FailsWith(StatusCode.InvalidArgument, () => ListAsync(new ListUsersRequest { Filter = filter }));

        Assert.Contains("filter", status.ViolatedFields());
        Assert.Contains($"position {position}", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filter_values_are_data_never_SQL()
    {
        var (prefix, _) = await SeedAsync(2);

        var injected = await ListAsync(new ListUsersRequest { Filter = "username = \"x' OR 1=1 --\"" });
        var stillThere = await ListAsync(new ListUsersRequest { Filter = $"username:\"{prefix}_*\"" });

        Assert.Empty(injected);
        Assert.Equal(2, stillThere.Count);
    }

    [Fact]
    public async Task A_huge_page_size_is_coerced_and_negative_values_are_rejected()
    {
        var (prefix, seeded) = await SeedAsync(3);

        var huge = await ListAsync(new ListUsersRequest { Filter = $"username:\"{prefix}_*\"", PageSize = int.MaxValue, Page = int.MaxValue });
        var first = await ListAsync(new ListUsersRequest { Filter = $"username:\"{prefix}_*\"", PageSize = int.MaxValue });

        Assert.Empty(huge);
        Assert.Equal(seeded.Select(u => u.Id), first.Select(u => u.Id));
        await Assertions.FailsWith(StatusCode.InvalidArgument, () => ListAsync(new ListUsersRequest { PageSize = -1 }));
        await Assertions.FailsWith(StatusCode.InvalidArgument, () => ListAsync(new ListUsersRequest { Page = -1 }));
    }

    [Fact]
    public async Task A_stream_longer_than_many_flushes_carries_each_user_once_in_id_order_as_GetUser_answers_it()
    {
        var prefix = Unique("many");
        var special = (await Users.CreateUserAsync(new CreateUserRequest
        {
            Username = $"{prefix}_special",
            Email = $"{prefix}_Spécial@Example.com",
            FullName = "Zoë Ünïcødé",
            Roles = { "admin", "dev" },
            Metadata = { ["team"] = "core", ["note"] = "\"quoted\" ✓" },
            Nickname = "",
        })).User;
        using (var call = Users.BulkCreateUsers())
        {
            for (var i = 0; i < 1200; i++)
            {
                await call.RequestStream.WriteAsync(new CreateUserRequest { Username = $"{prefix}_{i:D4}", Email = $"{prefix}_{i:D4}@example.com" });
            }

            await call.RequestStream.CompleteAsync();
            await call;
        }

        var listed = await ListAsync(new ListUsersRequest { Filter = $"username:\"{prefix}_*\"" });

        Assert.Equal(1201, listed.Count);
        Assert.Equal(listed.Select(u => u.Id).Order(), listed.Select(u => u.Id));
        Assert.Equal(special, listed[0]);
        Assert.Equal(await Users.GetUserAsync(new GetUserRequest { UserId = listed[^1].Id }), listed[^1]);
        Assert.False(listed[^1].HasNickname);
        Assert.Equal(
            Enumerable.Range(0, 1200).Select(i => $"{prefix}_{i:D4}"),
            listed.Skip(1).Select(u => u.Username));
    }

    [Fact]
    public async Task A_client_can_stop_reading_early_and_the_server_stays_healthy()
    {
        var (prefix, _) = await SeedAsync(5);
        using var cancel = new CancellationTokenSource();
        using var call = Users.ListUsers(new ListUsersRequest { Filter = $"username:\"{prefix}_*\"" }, cancellationToken: cancel.Token);

        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        await cancel.CancelAsync();
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        });

        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
        Assert.Equal(5, (await ListAsync(new ListUsersRequest { Filter = $"username:\"{prefix}_*\"" })).Count);
    }
}
