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
        var attempt = BeginAttempt(SignInThrottle.AccountKey(found?.Id, request.Username), context);
        var stored = found is null ? null : await users.GetCredentialsAsync(found.Id, context.CancellationToken);
        var credentials = await VerifyAsync(attempt, stored, request.Password, context.CancellationToken)
            ?? throw RpcErrors.Unauthenticated(WrongCredentials, "WRONG_CREDENTIALS");

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

        var attempt = BeginAttempt(SignInThrottle.AccountKey(id, ""), context);
        _ = await VerifyAsync(attempt, await users.GetCredentialsAsync(id, context.CancellationToken), request.CurrentPassword, context.CancellationToken)
            ?? throw RpcErrors.Unauthenticated("the current password is wrong", "WRONG_CREDENTIALS");

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

    /// <summary>
    /// Starts a password attempt for <paramref name="account"/> from the caller's IP address (a proxy in front must
    /// forward it, or all its clients share one): refused with LOGIN_THROTTLED, before any hashing, while either is blocked.
    /// </summary>
    private SignInAttempt BeginAttempt(string account, ServerCallContext context)
    {
        var address = context.GetHttpContext().Connection.RemoteIpAddress?.ToString() ?? context.Peer;
        throttle.ThrowIfBlocked(account, address);
        return new SignInAttempt(account, address);
    }

    /// <summary>
    /// Checks the password (against a decoy when there are no credentials, so that takes as long) and tells the
    /// throttle: a failure counts against the account and the address, a success clears the account.
    /// </summary>
    /// <returns>The credentials when the password matches them; null otherwise.</returns>
    private async Task<Credentials?> VerifyAsync(SignInAttempt attempt, Credentials? credentials, string password, CancellationToken cancellationToken)
    {
        if (await passwords.VerifyOrBurnAsync(credentials?.PasswordHash, password, cancellationToken) && credentials is not null)
        {
            throttle.Succeeded(attempt.Account);
            return credentials;
        }

        throttle.Failed(attempt.Account, attempt.Address);
        return null;
    }

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

    private sealed record SignInAttempt(string Account, string Address);
}
