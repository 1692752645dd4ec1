namespace Tessera.Users.Chat;

/// <summary>
/// Rooms Tessera keeps for itself on the chat engine: their names start with "$", which user.v1 UserChat refuses, so
/// users cannot join or read them.
/// </summary>
public static class ReservedRooms
{
    public const char Prefix = '$';

    /// <summary>The operators' room of monitoring.v1 Chat.</summary>
    public const string Operators = "$operators";

    public static bool IsReserved(string room) => room.StartsWith(Prefix);
}
