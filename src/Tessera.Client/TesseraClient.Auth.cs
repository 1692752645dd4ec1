using Grpc.Core;
using Tessera.Contracts.Auth.V1;

namespace Tessera.Client;

// Sign-in (auth.v1.AuthService). Login, Refresh and Logout are public: they send no token. ChangePassword and
// SetPassword send the access token. All get the default deadline.
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

    /// <summary>
    /// Changes the signed-in user's own password. The server revokes every earlier sign-in of the user and answers
    /// with a new one, whose access token is sent from then on; keep its refresh token.
    /// </summary>
    /// <exception cref="UnauthenticatedException">Not signed in, or <paramref name="currentPassword"/> is wrong.</exception>
    /// <exception cref="InvalidArgumentException"><paramref name="newPassword"/> is too short or too long.</exception>
    public async Task<TokenPair> ChangePasswordAsync(string currentPassword, string newPassword, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(currentPassword);
        ArgumentNullException.ThrowIfNull(newPassword);
        var request = new ChangePasswordRequest { CurrentPassword = currentPassword, NewPassword = newPassword };
        ChangePasswordResponse response;
        try
        {
            response = await _auth.ChangePasswordAsync(request, UnaryOptions(cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw RpcErrorTranslator.Translate(e, cancellationToken);
        }

        return Use(response.Tokens);
    }

    /// <summary>
    /// Sets another user's password (admins only); with <paramref name="requireChange"/> the user must choose a new
    /// one at their next sign-in. The user's sign-ins are revoked.
    /// </summary>
    /// <exception cref="PermissionDeniedException">The caller is not an admin.</exception>
    /// <exception cref="NotFoundException">No user has <paramref name="userId"/>.</exception>
    public async Task SetPasswordAsync(long userId, string newPassword, bool requireChange = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newPassword);
        var request = new SetPasswordRequest { UserId = userId, NewPassword = newPassword, RequireChange = requireChange };
        try
        {
            await _auth.SetPasswordAsync(request, UnaryOptions(cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw RpcErrorTranslator.Translate(e, cancellationToken);
        }
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
