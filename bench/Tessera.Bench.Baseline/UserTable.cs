using System.Collections.Frozen;
using Google.Protobuf.WellKnownTypes;
using Tessera.Contracts.User.V1;

namespace Tessera.Bench.Baseline;

/// <summary>Users 1..N held in memory, shaped as Tessera stores them (the same fields set, so answers are as large).</summary>
public sealed class UserTable(FrozenDictionary<long, User> users)
{
    public static UserTable Seed(int count)
    {
        var now = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
        return new UserTable(Enumerable.Range(1, count).ToFrozenDictionary(id => (long)id, id => new User
        {
            Id = id,
            Username = $"bench-user-{id}",
            Email = $"bench-user-{id}@example.com",
            FullName = "Bench User",
            IsActive = true,
            CreatedAt = now,
            UpdatedAt = now,
            Etag = "v1",
        }));
    }

    /// <summary>Every user, ordered by id.</summary>
    public IReadOnlyList<User> InIdOrder { get; } = [.. users.Values.OrderBy(user => user.Id)];

    public User? Find(long id) => users.GetValueOrDefault(id);
}
