using Tessera.Contracts.User.V1;

namespace Tessera.Users.Chat;

/// <summary>
/// The bus of a single server (SQLite): a published event is delivered at once, on the publishing thread, and
/// <see cref="ChatRooms"/> numbers it under its own lock, which makes the one order.
/// </summary>
public sealed class InProcessChatBus : IChatBus
{
    private IChatReceiver? receiver;

    public bool Connected => true;

    public void Subscribe(IChatReceiver receiver) => this.receiver = receiver;

    public Task PublishAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        receiver?.Deliver(message);
        return Task.CompletedTask;
    }
}
