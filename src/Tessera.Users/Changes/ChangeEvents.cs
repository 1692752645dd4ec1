using System.Runtime.CompilerServices;
using Tessera.Contracts.User.V1;

namespace Tessera.Users.Changes;

/// <summary>
/// The wire form of a change, made once and shared by every watch stream that sends it (the change log's in-memory
/// tail hands the same <see cref="UserChange"/> to all of them). Messages are only serialized, never changed.
/// </summary>
internal static class ChangeEvents
{
    private static readonly ConditionalWeakTable<UserChange, UserEvent> Made = [];

    public static UserEvent For(UserChange change) => Made.GetValue(change, static c => c.ToProto());
}
