using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Tessera.Users.Auth;

/// <summary>
/// The access-token signing keys: given (base64, at least 32 bytes each), read from a key file, or generated into the
/// data directory on first start and reused after. There is no built-in key.
/// </summary>
/// <remarks>
/// A key source may list several keys, separated by commas or line breaks. The first signs; every one verifies. Each key
/// carries a <c>kid</c> derived from its bytes, so every replica names the same key alike and the validator picks the
/// key a token names. A rolling rotation: add the new key last on every replica, then move it first (it now signs and
/// the old one still verifies), then drop the old one once the tokens it signed have expired.
/// </remarks>
public static class SigningKeys
{
    public const string DefaultFileName = "jwt-signing.key";
    private const int MinimumBytes = 32;
    private static readonly char[] Separators = [',', '\n', '\r', ' ', '\t'];

    public static IReadOnlyList<SymmetricSecurityKey> Resolve(string? base64Keys, string? keyFile, string dataDirectory)
    {
        if (base64Keys is not null)
        {
            return Parse(base64Keys, "the configured JWT key");
        }

        if (keyFile is not null)
        {
            return File.Exists(keyFile)
                ? Parse(File.ReadAllText(keyFile), keyFile)
                : throw new InvalidOperationException($"the JWT key file {keyFile} does not exist");
        }

        var path = Path.Combine(dataDirectory, DefaultFileName);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(dataDirectory);
            var generated = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var writer = new StreamWriter(path, create);
            writer.Write(generated);
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>The key id every replica gives these key bytes: the first 12 bytes of their SHA-256, base64url.</summary>
    public static string KeyId(ReadOnlySpan<byte> key) => Base64Url.EncodeToString(SHA256.HashData(key)[..12]);

    private static List<SymmetricSecurityKey> Parse(string list, string source)
    {
        var entries = list.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        if (entries.Length == 0)
        {
            throw new InvalidOperationException($"{source} holds no key");
        }

        var keys = new List<SymmetricSecurityKey>(entries.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            SymmetricSecurityKey key;
            try
            {
                key = FromBase64(entries[i], entries.Length == 1 ? source : $"key {i + 1} of {source}");
            }
            catch (InvalidOperationException e) when (i > 0 && entries[i - 1].Length is 64 or 76)
            {
                // openssl and PEM wrap base64 at 64 or 76 characters: a wrapped key reads as two.
                throw new InvalidOperationException(
                    $"{e.Message} (a key wrapped over several lines reads as several keys: write each key on one line, e.g. openssl rand -base64 48)", e);
            }

            if (keys.Any(known => known.KeyId == key.KeyId))
            {
                throw new InvalidOperationException($"{source} lists key {i + 1} twice");
            }

            keys.Add(key);
        }

        return keys;
    }

    private static SymmetricSecurityKey FromBase64(string base64, string source)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{source} is not base64");
        }

        return bytes.Length >= MinimumBytes
            ? new SymmetricSecurityKey(bytes) { KeyId = KeyId(bytes) }
            : throw new InvalidOperationException($"{source} is {bytes.Length} bytes; a JWT signing key needs at least {MinimumBytes}");
    }
}
