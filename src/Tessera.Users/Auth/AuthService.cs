using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Tessera.Contracts.Auth.V1;
using Tessera.Users.Storage;

namespace Tessera.Users.Auth;

/// <summary>auth.v1.AuthService: sign-in, refresh-token rotation with reuse detection, and sign-out.</summary>
[AllowAnonymous]
public sealed class AuthService(IUserStore users, IRefreshTokenStore tokens, PasswordHashing passwords, TokenIssuer issuer)
    : Contracts.Auth.V1.AuthService.AuthServiceBase
{
    private const string WrongCredentials = "wrong username or password";

    public override async Task<LoginResponse> Login(LoginRequest request, ServerCallContext context)
    {
        if (request.Username.Length == 0 || request.Password.Length == 0)
        {
            throw RpcErrors.InvalidArgument([
                .. request.Username.Length == 0 ? [new FieldViolation("username", "is required (a username or an email)")] : Array.Empty<FieldViolation>(),
                .. request.Password.Length == 0 ? [new FieldViolation("password", "is required")] : Array.Empty<FieldViolation>(),
            ]);
        }

        var user = await users.FindByLoginAsync(request.Username, context.CancellationToken);
        var hash = user is null ? null : await users.GetPasswordHashAsync(user.Id, context.CancellationToken);
        if (!passwords.VerifyOrBurn(hash, request.Password) || user is null)
        {
            throw RpcErrors.Unauthenticated(WrongCredentials, "WRONG_CREDENTIALS");
        }

        if (!user.IsActive)
        {
            throw RpcErrors.PermissionDenied($"user '{user.Username}' is deactivated; an admin can set is_active again");
        }

        var refresh = TokenIssuer.NewRefreshToken();
        var expires = issuer.RefreshExpiry();
        await tokens.IssueAsync(TokenIssuer.Hash(refresh), Guid.NewGuid().ToString("N"), user.Id, expires, context.CancellationToken);
        return new LoginResponse { Tokens = issuer.Issue(user, refresh, expires) };
    }

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
                    "this refresh token was already used, so every token of this sign-in has been revoked; sign in again", "REFRESH_TOKEN_REUSED");
        }

        var user = await users.GetAsync(result.UserId, context.CancellationToken);
        if (user is null || !user.IsActive)
        {
            await tokens.RevokeFamilyAsync(TokenIssuer.Hash(next), context.CancellationToken);
            throw RpcErrors.Unauthenticated("the user of this refresh token is gone or deactivated", "USER_UNAVAILABLE");
        }

        return new RefreshResponse { Tokens = issuer.Issue(user, next, expires) };
    }

    public override async Task<LogoutResponse> Logout(LogoutRequest request, ServerCallContext context)
    {
        if (request.RefreshToken.Length == 0)
        {
            throw RpcErrors.InvalidArgument("refresh_token", "is required");
        }

        await tokens.RevokeFamilyAsync(TokenIssuer.Hash(request.RefreshToken), context.CancellationToken);
        return new LogoutResponse();
    }
}
