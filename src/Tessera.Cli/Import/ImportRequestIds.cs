using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Import;

/// <summary>
/// The request id an import sends with a row, so that running the same import again replays what is already
/// stored instead of failing it. It is derived from the user the row describes: username, email, full name,
/// nickname, roles and metadata, hashed (SHA-256, 128 bits kept). So the id does not depend on the row's position or
/// the file's name: a re-run after rows were fixed, added or reordered still replays every unchanged row, and rows
/// that describe different users never share an id, whatever file they come from. The password is deliberately left
/// out, because the server keeps request ids as they are: nothing derived from a password may be stored unsalted.
/// A row that carries its own request_id (JSON Lines) keeps it.
/// </summary>
internal static class ImportRequestIds
{
    public const string Prefix = "import-";

    public static string For(CreateUserRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestId.Length > 0)
        {
            return request.RequestId;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, request.Username);
        Append(hash, request.Email);
        Append(hash, request.FullName);
        Append(hash, request.HasNickname ? "1" + request.Nickname : "0");
        Append(hash, request.Roles.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var role in request.Roles)
        {
            Append(hash, role);
        }

        foreach (var (key, value) in request.Metadata.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            Append(hash, key);
            Append(hash, value);
        }

        return Prefix + Convert.ToHexStringLower(hash.GetHashAndReset().AsSpan(0, 16));
    }

    /// <summary>Appends one field, length first, so that no two different rows hash the same bytes.</summary>
    private static void Append(IncrementalHash hash, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
