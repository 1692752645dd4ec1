namespace Tessera.Users.Chat;

/// <summary>This replica is not receiving the chat bus now (it is reconnecting), so a member joining would miss messages.</summary>
public sealed class ChatBusUnavailableException() : Exception("this server is reconnecting to the other replicas' chat; join again in a moment");
