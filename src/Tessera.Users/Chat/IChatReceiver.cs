using Tessera.Contracts.User.V1;

namespace Tessera.Users.Chat;

/// <summary>What an <see cref="IChatBus"/> delivers to: every room event in bus order, and word that some may be lost.</summary>
public interface IChatReceiver
{
    /// <summary>One room event, called in the bus's order for the room, never concurrently with itself.</summary>
    void Deliver(ChatMessage message);

    /// <summary>The bus stopped receiving: events published from now until it reconnects never reach this replica.</summary>
    void Lost();
}
