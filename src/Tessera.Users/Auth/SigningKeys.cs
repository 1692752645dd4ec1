using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Tessera.Users.Auth;

/// <summary>
/// The access-token signing key: given (base64, at least 32 bytes), read from a key file, or generated into the
/// data directory on first start and reused after. There is no built-in key.
/// </summary>
public static class SigningKeys
{
    public const string DefaultFileName = "jwt-signing.key";
    private const int MinimumBytes = 32;

    public static SymmetricSecurityKey Resolve(string? base64Key, string? keyFile, string dataDirectory)
    {
        if (base64Key is not null)
        {
            return FromBase64(base64Key, "the configured JWT key");
        }

        if (keyFile is not null)
        {
            return File.Exists(keyFile)
                ? FromBase64(File.ReadAllText(keyFile).Trim(), keyFile)
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

        return FromBase64(File.ReadAllText(path).Trim(), path);
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
            ? new SymmetricSecurityKey(bytes)
            : throw new InvalidOperationException($"{source} is {bytes.Length} bytes; a JWT signing key needs at least {MinimumBytes}");
    }
}
