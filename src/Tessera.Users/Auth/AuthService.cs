using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Tessera.Contracts.Auth.V1;
using Tessera.Users.Storage;
using Tessera.Users.Validation;

namespace Tessera.Users.Auth;

/// <summary>
/// auth.v1.AuthService: sign-in, refresh-token rotation with reuse detection, sign-out, and passwords.
/// Login, Refresh and Logout are public (they carry their own credentials); ChangePassword needs a signed-in user
/// (a token good only for changing the password will do); SetPassword needs the admin role.
/// </summary>
public sealed class AuthService(IUserStore users, IRefreshTokenStore tokens, PasswordHashing passwords, TokenIssuer issuer, SignInThrottle throttle)
    : Contracts.Auth.V1.AuthService.AuthServiceBase
{
    private const string WrongCredentials = "wrong username or password";

    [AllowAnonymous]
    public override async Task<LoginResponse> Login(LoginRequest request, ServerCallContext context)
    {
        if (request.Username.Length == 0 || request.Password.Length == 0)
        {
            throw RpcErrors.InvalidArgument([
                .. request.Username.Length == 0 ? [new FieldViolation("username", "is required (a username or an email)")] : Array.Empty<FieldViolation>(),
                .. request.Password.Length == 0 ? [new FieldViolation("password", "is required")] : Array.Empty<FieldViolation>(),
            ]);
        }

        var found = await users.FindByLoginAsync(request.Username, context.CancellationToken);
        var account = SignInThrottle.AccountKey(found?.Id, request.Username);
        var address = ClientAddress(context);
        throttle.ThrowIfBlocked(account, address);
        var credentials = found is null ? null : await users.GetCredentialsAsync(found.Id, context.CancellationToken);
        if (!await passwords.VerifyOrBurnAsync(credentials?.PasswordHash, request.Password, context.CancellationToken) || credentials is null)
        {
            throttle.Failed(account, address);
            throw RpcErrors.Unauthenticated(WrongCredentials, "WRONG_CREDENTIALS");
        }

        throttle.Succeeded(account);

        if (!credentials.User.IsActive)
        {
            throw RpcErrors.PermissionDenied($"user '{credentials.User.Username}' is deactivated; an admin can set is_active again");
        }

        return new LoginResponse { Tokens = await SignInAsync(credentials, context.CancellationToken) };
    }

    [AllowAnonymous]
    public override async Task<RefreshResponse> Refresh(RefreshRequest request, ServerCallContext context)
    {
        if (request.RefreshToken.Length == 0)
        {
            throw RpcErrors.InvalidArgument("refresh_token", "is required");
        }

        var next = TokenIssuer.NewRefreshToken();
        var expires = issuer.RefreshExpiry();
        var result = await tokens.RotateAsync(TokenIssuer.Hash(request.RefreshToken), TokenIssuer.Hash(next), expires, context.CancellationToken);
        switch (result.Outcome)
        {
            case RotateOutcome.Unknown:
                throw RpcErrors.Unauthenticated("the refresh token is not valid; sign in again", "REFRESH_TOKEN_INVALID");
            case RotateOutcome.Expired:
                throw RpcErrors.Unauthenticated("the refresh token has expired; sign in again", "REFRESH_TOKEN_EXPIRED");
            case RotateOutcome.Reused:
                throw RpcErrors.Unauthenticated(
                    "this refresh token was already used or revoked (by a sign-out or a password change), so every token of this sign-in has been revoked; sign in again",
                    "REFRESH_TOKEN_REUSED");
        }

        // Read after the rotation: the new access token has the user's current roles and security stamp.
        var credentials = await users.GetCredentialsAsync(result.UserId, context.CancellationToken);
        if (credentials is null || !credentials.User.IsActive)
        {
            await tokens.RevokeFamilyAsync(TokenIssuer.Hash(next), context.CancellationToken);
            throw RpcErrors.Unauthenticated("the user of this refresh token is gone or deactivated", "USER_UNAVAILABLE");
        }

        return new RefreshResponse { Tokens = issuer.Issue(credentials, next, expires) };
    }

    [AllowAnonymous]
    public override async Task<LogoutResponse> Logout(LogoutRequest request, ServerCallContext context)
    {
        if (request.RefreshToken.Length == 0)
        {
            throw RpcErrors.InvalidArgument("refresh_token", "is required");
        }

        await tokens.RevokeFamilyAsync(TokenIssuer.Hash(request.RefreshToken), context.CancellationToken);
        return new LogoutResponse();
    }

    [Authorize]
    public override async Task<ChangePasswordResponse> ChangePassword(ChangePasswordRequest request, ServerCallContext context)
    {
        var id = Caller.From(context).UserId
            ?? throw RpcErrors.FailedPrecondition("ChangePassword changes the signed-in user's password, and this call has no user (is the server running with --auth none?)", "NO_SIGNED_IN_USER");
        var violations = new List<FieldViolation>();
        if (request.CurrentPassword.Length == 0)
        {
            violations.Add(new("current_password", "is required"));
        }

        NewPasswordRules(request.NewPassword, "new_password", violations);
        if (violations.Count > 0)
        {
            throw RpcErrors.InvalidArgument(violations);
        }

        var account = SignInThrottle.AccountKey(id, "");
        var address = ClientAddress(context);
        throttle.ThrowIfBlocked(account, address);
        var credentials = await users.GetCredentialsAsync(id, context.CancellationToken);
        if (!await passwords.VerifyOrBurnAsync(credentials?.PasswordHash, request.CurrentPassword, context.CancellationToken) || credentials is null)
        {
            throttle.Failed(account, address);
            throw RpcErrors.Unauthenticated("the current password is wrong", "WRONG_CREDENTIALS");
        }

        throttle.Succeeded(account);

        await ReplacePasswordAsync(id, request.NewPassword, requireChange: false, context.CancellationToken);
        var changed = await users.GetCredentialsAsync(id, context.CancellationToken) ?? throw RpcErrors.NotFound(id);
        return new ChangePasswordResponse { Tokens = await SignInAsync(changed, context.CancellationToken) };
    }

    [Authorize(Roles = Roles.Admin)]
    public override async Task<SetPasswordResponse> SetPassword(SetPasswordRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        if (request.UserId <= 0)
        {
            violations.Add(new("user_id", "must be a positive user id"));
        }

        NewPasswordRules(request.NewPassword, "new_password", violations);
        if (violations.Count > 0)
        {
            throw RpcErrors.InvalidArgument(violations);
        }

        // Existence before hashing, so a wrong id costs no hash.
        _ = await users.GetAsync(request.UserId, context.CancellationToken) ?? throw RpcErrors.NotFound(request.UserId);
        await ReplacePasswordAsync(request.UserId, request.NewPassword, request.RequireChange, context.CancellationToken);
        return new SetPasswordResponse();
    }

    /// <summary>The caller's IP address, for throttling (a proxy in front must forward it, or all its clients share one).</summary>
    private static string ClientAddress(ServerCallContext context) =>
        context.GetHttpContext().Connection.RemoteIpAddress?.ToString() ?? context.Peer;

    /// <summary>A new password obeys CreateUser's rules, and unlike there it is required.</summary>
    private static void NewPasswordRules(string password, string field, List<FieldViolation> violations)
    {
        if (password.Length == 0)
        {
            violations.Add(new(field, "is required"));
        }

        UserRules.Password(password, violations, field);
    }

    /// <summary>
    /// Stores the new hash (which advances the user's security stamp, so their access tokens stop working on their
    /// next call), then revokes every refresh token of the user.
    /// </summary>
    private async Task ReplacePasswordAsync(long id, string password, bool requireChange, CancellationToken cancellationToken)
    {
        var hash = await passwords.HashAsync(password, cancellationToken);
        _ = await users.SetPasswordAsync(id, hash, requireChange, cancellationToken) ?? throw RpcErrors.NotFound(id);
        await tokens.RevokeAllAsync(id, cancellationToken);
    }

    /// <summary>A new sign-in (refresh-token family) for the user.</summary>
    private async Task<TokenPair> SignInAsync(Credentials credentials, CancellationToken cancellationToken)
    {
        var refresh = TokenIssuer.NewRefreshToken();
        var expires = issuer.RefreshExpiry();
        await tokens.IssueAsync(TokenIssuer.Hash(refresh), Guid.NewGuid().ToString("N"), credentials.User.Id, expires, cancellationToken);
        return issuer.Issue(credentials, refresh, expires);
    }
}
