using Grpc.Core;
using Tessera.Contracts.Auth.V1;

namespace Tessera.Client;

// Sign-in (auth.v1.AuthService). These calls are public: they send no token, and get the default deadline.
public sealed partial class TesseraClient
{
    /// <summary>
    /// Signs in and sends the new access token with every call from then on (see <see cref="AccessToken"/>).
    /// Keep <see cref="TokenPair.RefreshToken"/> for <see cref="RefreshAsync"/> and <see cref="LogoutAsync"/>.
    /// </summary>
    /// <exception cref="UnauthenticatedException">Wrong username or password.</exception>
    /// <exception cref="PermissionDeniedException">The user is deactivated.</exception>
    public async Task<TokenPair> LoginAsync(string usernameOrEmail, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(usernameOrEmail);
        ArgumentNullException.ThrowIfNull(password);
        var request = new LoginRequest { Username = usernameOrEmail, Password = password };
        LoginResponse response;
        try
        {
            response = await _auth.LoginAsync(request, AuthOptions(cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw RpcErrorTranslator.Translate(e, cancellationToken);
        }

        return Use(response.Tokens);
    }

    /// <summary>
    /// Trades <paramref name="refreshToken"/> (usable once) for new tokens, and sends the new access token from
    /// then on. Reusing a spent refresh token revokes the whole sign-in (<see cref="UnauthenticatedException"/>).
    /// </summary>
    public async Task<TokenPair> RefreshAsync(string refreshToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refreshToken);
        RefreshResponse response;
        try
        {
            response = await _auth.RefreshAsync(new RefreshRequest { RefreshToken = refreshToken }, AuthOptions(cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw RpcErrorTranslator.Translate(e, cancellationToken);
        }

        return Use(response.Tokens);
    }

    /// <summary>
    /// Revokes the sign-in <paramref name="refreshToken"/> belongs to (unknown tokens are ignored) and stops
    /// sending an access token. Access tokens already issued stay valid until they expire.
    /// </summary>
    public async Task LogoutAsync(string refreshToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refreshToken);
        try
        {
            await _auth.LogoutAsync(new LogoutRequest { RefreshToken = refreshToken }, AuthOptions(cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw RpcErrorTranslator.Translate(e, cancellationToken);
        }

        AccessToken = null;
    }

    private TokenPair Use(TokenPair? tokens)
    {
        if (tokens is null || tokens.AccessToken.Length == 0)
        {
            throw new TesseraException(StatusCode.Internal, "the server answered the sign-in without tokens");
        }

        AccessToken = tokens.AccessToken;
        return tokens;
    }
}
