using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Operations;
using Tessera.Users;

namespace Tessera.Server.Security;

/// <summary>
/// Answers a call that authorization refused with a gRPC status (trailers only; over REST, HTTP 401/403 with the status
/// as JSON) instead of a bare HTTP 401/403, so every
/// client sees UNAUTHENTICATED or PERMISSION_DENIED (or what <see cref="AccessTokenChecks"/> decided: TOKEN_REVOKED,
/// PASSWORD_CHANGE_REQUIRED) with a message and an ErrorInfo it can act on.
/// </summary>
public sealed class GrpcAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    /// <summary>Where authentication leaves the exception of a token it refused.</summary>
    public const string FailureKey = "tessera.auth.failure";

    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded || !GrpcRequest.IsCall(context))
        {
            return fallback.HandleAsync(next, context, policy, authorizeResult);
        }

        var (code, message, reason) = authorizeResult.Challenged
            ? Unauthenticated(context)
            : (StatusCode.PermissionDenied, "this call needs the admin role", "PERMISSION_DENIED");
        return EarlyStatus.WriteAsync(context, new Google.Rpc.Status
        {
            Code = (int)code,
            Message = message,
            Details = { Any.Pack(new ErrorInfo { Reason = reason, Domain = RpcErrors.Domain }) },
        });
    }

    private static (StatusCode, string, string) Unauthenticated(HttpContext context)
    {
        if (!context.Request.Headers.Authorization.Any(value => value?.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true))
        {
            return (StatusCode.Unauthenticated, "sign in first: send 'authorization: Bearer <access token>' (auth.v1.AuthService/Login)", "TOKEN_MISSING");
        }

        if (context.Items[FailureKey] is TokenRefusedException refused)
        {
            return (refused.Code, refused.Message, refused.Reason);
        }

        return context.Items[FailureKey] is SecurityTokenExpiredException
            ? (StatusCode.Unauthenticated, "the access token has expired; get a new one with auth.v1.AuthService/Refresh", "TOKEN_EXPIRED")
            : (StatusCode.Unauthenticated, "the access token is not valid (wrong signature, issuer, audience or algorithm); sign in again", "TOKEN_INVALID");
    }
}
