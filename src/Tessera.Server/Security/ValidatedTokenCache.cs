using System.Collections.Concurrent;
using Microsoft.IdentityModel.Tokens;

namespace Tessera.Server.Security;

/// <summary>
/// JwtBearer's token handler with a memory: a token that validated once (signature, issuer, audience, lifetime) is
/// not parsed and verified again on each of its calls until it expires; a client sends the same access token for up
/// to 15 minutes, and verifying it cost a call about half of its throughput (bench/README.md). Only the validation is
/// remembered: the checks after it (revocation, a token good only for changing the password) run on every call, and
/// an entry is used only while its token is unexpired (with the same clock skew as validation). Tokens that fail are
/// not remembered. At most <see cref="Capacity"/> tokens; when full, expired ones are dropped, then all if none were.
/// </summary>
internal sealed class ValidatedTokenCache(TokenHandler inner, TimeProvider clock) : TokenHandler
{
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, Entry> validated = new(StringComparer.Ordinal);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        ArgumentNullException.ThrowIfNull(validationParameters);
        var now = clock.GetUtcNow().UtcDateTime;
        if (validated.TryGetValue(token, out var entry))
        {
            if (now < entry.UsableUntil)
            {
                return entry.Result;
            }

            validated.TryRemove(token, out _);
        }

        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { ValidTo: var validTo } && validTo > DateTime.MinValue)
        {
            if (validated.Count >= Capacity)
            {
                MakeRoom(now);
            }

            validated[token] = new Entry(result, validTo + validationParameters.ClockSkew);
        }

        return result;
    }

    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

    private void MakeRoom(DateTime now)
    {
        foreach (var (token, entry) in validated)
        {
            if (entry.UsableUntil <= now)
            {
                validated.TryRemove(token, out _);
            }
        }

        if (validated.Count >= Capacity)
        {
            validated.Clear();
        }
    }

    private sealed record Entry(TokenValidationResult Result, DateTime UsableUntil);
}
