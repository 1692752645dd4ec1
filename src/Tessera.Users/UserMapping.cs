using Google.Protobuf.WellKnownTypes;
using Tessera.Contracts.User.V1;

namespace Tessera.Users;

/// <summary>Between stored records and the proto's messages.</summary>
public static class UserMapping
{
    public static User ToProto(this UserRecord record)
    {
        var user = new User
        {
            Id = record.Id,
            Username = record.Username,
            Email = record.Email,
            FullName = record.FullName,
            IsActive = record.IsActive,
            CreatedAt = Timestamp.FromDateTimeOffset(record.CreatedAt),
            UpdatedAt = Timestamp.FromDateTimeOffset(record.UpdatedAt),
            Etag = record.Etag,
        };

        // Most users have no roles and no metadata: adding nothing costs nothing (no copy of an empty dictionary).
        if (record.Roles.Count > 0)
        {
            user.Roles.Add(record.Roles);
        }

        if (record.Metadata.Count > 0)
        {
            foreach (var (key, value) in record.Metadata)
            {
                user.Metadata.Add(key, value);
            }
        }

        if (record.Nickname is not null)
        {
            user.Nickname = record.Nickname;
        }

        return user;
    }

    public static UserEvent ToProto(this UserChange change) => new()
    {
        Type = change.Type switch
        {
            ChangeType.Created => UserEvent.Types.EventType.Created,
            ChangeType.Updated => UserEvent.Types.EventType.Updated,
            _ => UserEvent.Types.EventType.Deleted,
        },
        User = change.User.ToProto(),
        Timestamp = Timestamp.FromDateTimeOffset(change.Timestamp),
        Revision = change.Revision,
    };
}
