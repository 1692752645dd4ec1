using Tessera.Contracts.User.V1;

namespace Tessera.Users.Chat;

/// <summary>
/// Carries room events (joins, texts, leaves) to the chat rooms of every replica, in one order per room that every
/// replica delivers alike. <see cref="ChatRooms"/> publishes what its members do and hands what the bus delivers to its
/// own members.
/// </summary>
public interface IChatBus
{
    /// <summary>
    /// True while this replica receives everything published: a member may join only then. When it turns false, the
    /// bus calls <see cref="IChatReceiver.Lost"/> first, since what is published meanwhile may never arrive here.
    /// </summary>
    bool Connected { get; }

    /// <summary>The one receiver of everything published, from this replica or any other.</summary>
    void Subscribe(IChatReceiver receiver);

    /// <summary>
    /// Publishes <paramref name="message"/> (its <see cref="ChatMessage.Sequence"/> unset). A bus that spans replicas
    /// numbers the room's events itself; the in-process bus leaves numbering to <see cref="ChatRooms"/>.
    /// </summary>
    Task PublishAsync(ChatMessage message, CancellationToken cancellationToken);
}
