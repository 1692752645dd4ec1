using System.Collections.Concurrent;
using Microsoft.IdentityModel.Tokens;

namespace Tessera.Server.Security;

/// <summary>
/// A token handler with a memory (<see cref="AccessTokenAuthentication"/>'s): a token that validated once (signature, issuer, audience, lifetime) is
/// not parsed and verified again on each of its calls until it expires; a client sends the same access token for up
/// to 15 minutes, and verifying it cost a call about half of its throughput (bench/README.md). Only the validation is
/// remembered: the checks after it (revocation, a token good only for changing the password) run on every call, and
/// an entry is used only while its token is unexpired (with the same clock skew as validation). Tokens that fail are
/// not remembered. At most <see cref="Capacity"/> tokens; when full, expired ones are dropped, then all if none were.
/// </summary>
public sealed class ValidatedTokenCache(TokenHandler inner, TimeProvider clock) : TokenHandler
{
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, Entry> validated = new(StringComparer.Ordinal);

    /// <summary>The remembered result of a token that validated and has not expired since, or null.</summary>
    public TokenValidationResult? TryGetValid(ReadOnlySpan<char> token)
    {
        // Looked up by the characters themselves: the caller need not copy the token out of its header.
        var byText = validated.GetAlternateLookup<ReadOnlySpan<char>>();
        if (byText.TryGetValue(token, out var entry))
        {
            if (clock.GetUtcNow().UtcDateTime < entry.UsableUntil)
            {
                return entry.Result;
            }

            byText.TryRemove(token, out _);
        }

        return null;
    }

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        ArgumentNullException.ThrowIfNull(validationParameters);
        if (TryGetValid(token) is { } remembered)
        {
            return remembered;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && Unreadable(result) is { } refused)
        {
            return refused;
        }

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

    /// <summary>
    /// A refusal for a signed token whose claims cannot be read (a claim that is not valid UTF-8 JSON text), or null.
    /// The identity is built lazily, after validation; without this, reading it would throw on every call with the token.
    /// </summary>
    private static TokenValidationResult? Unreadable(TokenValidationResult result)
    {
        try
        {
            _ = result.ClaimsIdentity;
            return null;
        }
        catch (InvalidOperationException e)
        {
            return new TokenValidationResult { IsValid = false, Exception = new SecurityTokenMalformedException("the access token's claims cannot be read", e) };
        }
    }

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
