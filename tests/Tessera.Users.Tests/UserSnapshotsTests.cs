using Tessera.Users.Storage;

namespace Tessera.Users.Tests;

/// <summary>
/// The change log and the request log keep users as JSON, written by every engine and every version of Tessera: the
/// text must stay what it was (property names, escaping, nulls), or rows written before and after would differ.
/// </summary>
public sealed class UserSnapshotsTests
{
    private static readonly DateTimeOffset Created = StoreTime.FromMicros(1_700_000_000_123_456);

    [Fact]
    public void A_snapshot_is_written_as_it_always_was()
    {
        var user = new UserRecord(42, "zoë", "Zoe@Example.com", "Zoë <Z> & 'co'", true, ["admin", "user"],
            new Dictionary<string, string> { ["team"] = "ops" }, null, Created, Created.AddSeconds(1), 3);

        Assert.Equal(
            """{"Id":42,"Username":"zo\u00EB","Email":"Zoe@Example.com","FullName":"Zo\u00EB \u003CZ\u003E \u0026 \u0027co\u0027","IsActive":true,"Roles":["admin","user"],"Metadata":{"team":"ops"},"Nickname":null,"CreatedAt":1700000000123456,"UpdatedAt":1700000001123456,"Version":3}""",
            UserSnapshots.Serialize(user));
    }

    [Fact]
    public void A_snapshot_reads_back_as_the_same_user()
    {
        var user = new UserRecord(7, "ann", "ann@example.com", "Ann", false, [], new Dictionary<string, string>(), "annie", Created, Created, 1);

        var read = UserSnapshots.Deserialize(UserSnapshots.Serialize(user));

        Assert.Equal((user.Id, user.Username, user.Email, user.FullName, user.IsActive, user.Nickname, user.CreatedAt, user.UpdatedAt, user.Version),
            (read.Id, read.Username, read.Email, read.FullName, read.IsActive, read.Nickname, read.CreatedAt, read.UpdatedAt, read.Version));
        Assert.Empty(read.Roles);
        Assert.Empty(read.Metadata);
    }
}
