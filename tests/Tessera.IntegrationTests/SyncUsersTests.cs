using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Tessera.Contracts.User.V1;
using EventType = Tessera.Contracts.User.V1.UserEvent.Types.EventType;

namespace Tessera.IntegrationTests;

public sealed class SyncUsersTests(TesseraServer server) : ServerTests(server)
{
    private static UserSyncRequest Start(long revision) => new() { Start = new SyncStart { Revision = revision } };

    [Fact]
    public async Task Sync_sends_what_the_client_missed_applies_edits_and_reports_conflicts()
    {
        var mine = await CreateAsync();
        var theirs = await CreateAsync();
        var revision = await RevisionOfAsync(theirs);
        // Someone else changes "theirs" after the client's revision: the client must hear of it.
        var changedElsewhere = await Users.UpdateUserAsync(new UpdateUserRequest { UserId = theirs.Id, User = new User { FullName = "changed elsewhere" } });

        using var sync = Users.SyncUsers();
        await sync.RequestStream.WriteAsync(Start(revision));
        var inbox = new Inbox<UserSyncResponse>(sync.ResponseStream);
        var missed = await inbox.WaitForAsync(m => m.Change?.User.Id == theirs.Id);
        Assert.Equal((EventType.Updated, "changed elsewhere"), (missed.Change.Type, missed.Change.User.FullName));

        await sync.RequestStream.WriteAsync(new UserSyncRequest { Edit = new SyncEdit { EditId = "ok", User = new User { Id = mine.Id, FullName = "mine, edited" }, BaseEtag = mine.Etag } });
        await sync.RequestStream.WriteAsync(new UserSyncRequest { Edit = new SyncEdit { EditId = "stale", User = new User { Id = theirs.Id, FullName = "lost" }, BaseEtag = theirs.Etag } });
        await sync.RequestStream.WriteAsync(new UserSyncRequest { Edit = new SyncEdit { EditId = "bad", User = new User { Id = mine.Id }, UpdateMask = new FieldMask { Paths = { "nope" } } } });

        var ok = await inbox.WaitForAsync(m => m.Result?.EditId == "ok");
        var stale = await inbox.WaitForAsync(m => m.Result?.EditId == "stale");
        var bad = await inbox.WaitForAsync(m => m.Result?.EditId == "bad");

        Assert.True(ok.Result.Applied);
        Assert.Equal("mine, edited", ok.Result.User.FullName);
        Assert.False(stale.Result.Applied);
        Assert.Equal("ABORTED", stale.Result.Code);
        Assert.Equal(changedElsewhere, stale.Result.ServerUser);
        Assert.False(bad.Result.Applied);
        Assert.Equal("INVALID_ARGUMENT", bad.Result.Code);
        Assert.Equal("changed elsewhere", (await Users.GetUserAsync(new GetUserRequest { UserId = theirs.Id })).FullName);

        // Live changes keep coming, including the client's own applied edit.
        var own = await inbox.WaitForAsync(m => m.Change?.User.Id == mine.Id);
        Assert.Equal("mine, edited", own.Change.User.FullName);
        var later = await CreateAsync();
        Assert.Equal(later.Id, (await inbox.WaitForAsync(m => m.Change?.User.Id == later.Id)).Change.User.Id);
    }

    [Fact]
    public async Task Sync_creates_and_deletes_and_reports_missing_users()
    {
        using var sync = Users.SyncUsers();
        await sync.RequestStream.WriteAsync(Start(await RevisionOfAsync(await CreateAsync())));
        var inbox = new Inbox<UserSyncResponse>(sync.ResponseStream);
        var name = Unique("sync");
        await sync.RequestStream.WriteAsync(new UserSyncRequest { Edit = new SyncEdit { EditId = "create", User = new User { Username = name, Email = $"{name}@example.com" } } });
        var created = await inbox.WaitForAsync(m => m.Result?.EditId == "create");
        Assert.True(created.Result.Applied);

        await sync.RequestStream.WriteAsync(new UserSyncRequest { Edit = new SyncEdit { EditId = "delete", Delete = true, User = new User { Id = created.Result.User.Id } } });
        await sync.RequestStream.WriteAsync(new UserSyncRequest { Edit = new SyncEdit { EditId = "again", Delete = true, User = new User { Id = created.Result.User.Id } } });

        Assert.True((await inbox.WaitForAsync(m => m.Result?.EditId == "delete")).Result.Applied);
        var again = await inbox.WaitForAsync(m => m.Result?.EditId == "again");
        Assert.Equal(("NOT_FOUND", false), (again.Result.Code, again.Result.Applied));
    }

    [Fact]
    public async Task A_sync_must_start_with_a_revision()
    {
        using var sync = Users.SyncUsers();
        await sync.RequestStream.WriteAsync(new UserSyncRequest { Edit = new SyncEdit { EditId = "x" } });

        await Assertions.FailsWith(StatusCode.InvalidArgument, () => sync.ResponseStream.MoveNext(CancellationToken.None));
    }

    private async Task<long> RevisionOfAsync(User user)
    {
        using var watch = Users.WatchUserChanges(new WatchUserRequest { Filter = $"username = \"{user.Username}\"" });
        long revision = 0;
        while (true)
        {
            var change = await watch.ResponseStream.NextAsync();
            revision = change.Revision;
            if (change.User.Etag == user.Etag)
            {
                return revision;
            }
        }
    }
}
