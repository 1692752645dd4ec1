using Grpc.Core;
using Tessera.Users.Auth;

namespace Tessera.Commerce.Orders.Calls;

/// <summary>
/// Who the order service's outgoing calls are: a service token (TokenIssuer.IssueServiceToken, signed with the server's
/// JWT key, 60 s) whose subject is the end user the order is for, role "service", <c>act</c> "orders". With
/// <c>--auth none</c> no token is attached (every caller is an admin there).
/// </summary>
public sealed class ServiceIdentity(TokenIssuer? issuer)
{
    public const string ActingService = "orders";

    public static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(60);

    /// <summary>The call's options: the token for <paramref name="userId"/>, <paramref name="deadline"/> and the cancellation.</summary>
    public CallOptions For(long userId, DateTime deadline, CancellationToken cancellationToken)
    {
        var headers = issuer is null
            ? null
            : new Metadata { { "authorization", "Bearer " + issuer.IssueServiceToken(userId, ActingService, TokenLifetime) } };
        return new CallOptions(headers, deadline, cancellationToken);
    }
}
