using System.Runtime.CompilerServices;
using Google.Protobuf;
using Grpc.Core;
using Tessera.Contracts.User.V1;

namespace Tessera.Users.Changes;

/// <summary>
/// The wire form of a change, made and serialized once and shared by every watch stream that sends it (the change
/// log's in-memory tail hands the same <see cref="UserChange"/> to all of them): <see cref="Marshaller"/> writes those
/// bytes as they are, so a change sent to a thousand watchers is encoded once, not a thousand times. Messages are
/// only serialized, never changed.
/// </summary>
public static class ChangeEvents
{
    private static readonly ConditionalWeakTable<UserChange, UserEvent> Made = [];
    private static readonly ConditionalWeakTable<UserEvent, byte[]> Encoded = [];

    /// <summary>The response marshaller of every method that sends UserEvents: a shared event's bytes, any other event encoded.</summary>
    public static Marshaller<UserEvent> Marshaller { get; } = Marshallers.Create(
        static (UserEvent message, SerializationContext context) => context.Complete(Encoded.TryGetValue(message, out var bytes) ? bytes : message.ToByteArray()),
        static context => UserEvent.Parser.ParseFrom(context.PayloadAsReadOnlySequence()));

    internal static UserEvent For(UserChange change) => Made.GetValue(change, static c =>
    {
        var message = c.ToProto();
        Encoded.AddOrUpdate(message, message.ToByteArray());
        return message;
    });
}
