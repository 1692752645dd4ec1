namespace Tessera.Users.Storage.Postgres;

/// <summary>A change written in an open transaction; <see cref="Revision"/> is 0 until the change log assigns it.</summary>
internal sealed class PendingChange(ChangeType type, UserRecord user, DateTimeOffset at)
{
    public ChangeType Type => type;

    public UserRecord User => user;

    public DateTimeOffset At => at;

    public long Revision { get; set; }
}
