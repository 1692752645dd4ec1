using System.Runtime.CompilerServices;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Operations;
using Tessera.Users;

namespace Tessera.Server.Security;

/// <summary>
/// Authorizes every call by its endpoint's <see cref="AccessRule"/>, read once per endpoint: the per-call work is a
/// lookup and a role check. It takes the place of ASP.NET Core's authorization middleware, which resolves the
/// authorization service and its handlers, authenticates again and allocates a context and results on every call
/// (a fifth of the server's allocations per GetUser). A refused call is answered with a gRPC status (trailers only; over
/// REST, HTTP 401/403 with the status as JSON), so every client sees UNAUTHENTICATED or PERMISSION_DENIED (or what
/// <see cref="AccessTokenChecks"/> decided: TOKEN_REVOKED, PASSWORD_CHANGE_REQUIRED) with a message and an ErrorInfo
/// it can act on.
/// </summary>
public sealed class CallAuthorization
{
    /// <summary>Where authentication leaves the exception of a token it refused.</summary>
    public const string FailureKey = "tessera.auth.failure";

    private readonly RequestDelegate next;
    private readonly ConditionalWeakTable<Endpoint, AccessRule> rules = [];

    /// <summary>Reads the rule of every endpoint mapped so far, so an attribute it cannot honour stops the server at start.</summary>
    public CallAuthorization(RequestDelegate next, EndpointDataSource endpoints)
    {
        this.next = next;
        foreach (var endpoint in endpoints.Endpoints)
        {
            rules.Add(endpoint, AccessRule.Of(endpoint));
        }
    }

    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            return next(context);
        }

        var rule = rules.GetValue(endpoint, AccessRule.Of);
        return rule.Judge(context.User) switch
        {
            AccessRule.Verdict.Admitted => next(context),
            AccessRule.Verdict.SignInFirst => Refuse(context, Unauthenticated(context)),
            _ => Refuse(context, (StatusCode.PermissionDenied, $"this call needs the {rule.MissingRoles(context.User)} role", "PERMISSION_DENIED")),
        };
    }

    private static Task Refuse(HttpContext context, (StatusCode Code, string Message, string Reason) refusal) =>
        EarlyStatus.WriteAsync(context, new Google.Rpc.Status
        {
            Code = (int)refusal.Code,
            Message = refusal.Message,
            Details = { Any.Pack(new ErrorInfo { Reason = refusal.Reason, Domain = RpcErrors.Domain }) },
        });

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
