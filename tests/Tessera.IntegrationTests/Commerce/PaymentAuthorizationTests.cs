using Microsoft.Extensions.DependencyInjection;
using Grpc.Core;
using Tessera.Contracts.Money.V1;
using Tessera.Contracts.Payment.V1;
using Tessera.Contracts.User.V1;
using Tessera.IntegrationTests.Security;

namespace Tessera.IntegrationTests.Commerce;

/// <summary>
/// PaymentService's rows of the authorization matrix: admins and services only. "service" is a service token, as the
/// order service mints for its calls (no user can be given the service role).
/// </summary>
public sealed class PaymentAuthorizationTests(AuthServer auth) : IClassFixture<AuthServer>
{
    private const StatusCode Ok = StatusCode.OK;
    private const StatusCode Unauthenticated = StatusCode.Unauthenticated;
    private const StatusCode Denied = StatusCode.PermissionDenied;

    public static TheoryData<string, string, StatusCode> Matrix => new()
    {
        { "ProcessPayment", "anonymous", Unauthenticated }, { "ProcessPayment", "self", Denied }, { "ProcessPayment", "other", Denied },
        { "ProcessPayment", "admin", Ok }, { "ProcessPayment", "service", Ok },
        { "RefundPayment", "anonymous", Unauthenticated }, { "RefundPayment", "self", Denied }, { "RefundPayment", "other", Denied },
        { "RefundPayment", "admin", Ok }, { "RefundPayment", "service", Ok },
        { "GetPayment", "anonymous", Unauthenticated }, { "GetPayment", "self", Denied }, { "GetPayment", "other", Denied },
        { "GetPayment", "admin", Ok }, { "GetPayment", "service", Ok },
        { "GetPayment(unknown)", "self", Denied }, { "GetPayment(unknown)", "admin", StatusCode.NotFound },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_caller_gets_the_expected_status(string rpc, string caller, StatusCode expected)
    {
        var payments = new PaymentService.PaymentServiceClient(auth.Server.Channel);
        var order = $"order-{Guid.NewGuid():N}";
        var paid = (await payments.ProcessPaymentAsync(Pay(order), AuthServer.Bearer(auth.Admin))).Payment;
        var headers = AuthServer.Bearer(caller switch
        {
            "self" => auth.AliceTokens,
            "other" => auth.BobTokens,
            "admin" => auth.Admin,
            "service" => ServiceTokens(),
            _ => null,
        });
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var options = new CallOptions(headers, cancellationToken: deadline.Token);

        var actual = await Assertions.StatusOf(() => rpc switch
        {
            "ProcessPayment" => payments.ProcessPaymentAsync(Pay($"order-{Guid.NewGuid():N}"), options).ResponseAsync,
            "RefundPayment" => payments.RefundPaymentAsync(new RefundPaymentRequest { PaymentId = paid.PaymentId }, options).ResponseAsync,
            "GetPayment" => payments.GetPaymentAsync(new GetPaymentRequest { OrderId = order }, options).ResponseAsync,
            "GetPayment(unknown)" => payments.GetPaymentAsync(new GetPaymentRequest { PaymentId = "pay_unknown" }, options).ResponseAsync,
            _ => throw new ArgumentOutOfRangeException(nameof(rpc), rpc, "no such row"),
        });

        Assert.True(expected == actual, $"{rpc} as {caller}: expected {expected}, got {actual}");
        Assert.True(auth.Server.Errors.IsEmpty, string.Join("\n", auth.Server.Errors));
    }

    private static ProcessPaymentRequest Pay(string order) =>
        new() { OrderId = order, Amount = new Money { CurrencyCode = "EUR", MinorUnits = 500 }, PaymentMethodToken = "tok_approve" };

    /// <summary>A service token as the order service mints one for its calls, on behalf of Alice.</summary>
    private Contracts.Auth.V1.TokenPair ServiceTokens() => new()
    {
        AccessToken = auth.Server.Services.GetRequiredService<Users.Auth.TokenIssuer>().IssueServiceToken(auth.Alice.Id, "orders", TimeSpan.FromMinutes(1)),
    };
}
