using Grpc.Core;
using Tessera.Commerce.Orders;

namespace Tessera.Commerce.Tests.Orders;

public sealed class OrderErrorsTests
{
    private static readonly OrderRecord Waiting = new("o-1", 7, "r", [new OrderLineRecord("lamp-1", 1)], SagaStep.AwaitingPayment, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 3);

    [Fact]
    public void A_wrong_state_names_the_state_as_the_proto_does()
    {
        var error = OrderErrors.WrongState(Waiting, "ORDER_NOT_CONFIRMED", "only a confirmed order can do this");

        Assert.Equal(CommerceFailure.FailedPrecondition, error.Failure);
        Assert.Equal("order o-1 is PENDING_PAYMENT: only a confirmed order can do this", error.Message);
        Assert.Equal("PENDING_PAYMENT", error.Metadata["state"]);
    }

    [Theory]
    [InlineData(StatusCode.FailedPrecondition, CommerceFailure.FailedPrecondition)]
    [InlineData(StatusCode.NotFound, CommerceFailure.NotFound)]
    [InlineData(StatusCode.DeadlineExceeded, CommerceFailure.DeadlineExceeded)]
    [InlineData(StatusCode.Internal, CommerceFailure.Unavailable)]
    [InlineData(StatusCode.Unauthenticated, CommerceFailure.Unavailable)]
    public void A_failure_answers_its_code_its_reason_and_the_order_id(StatusCode code, CommerceFailure expected)
    {
        var error = OrderErrors.Of(Waiting, new OrderFailure(code, "SOME_REASON", "what happened"));

        Assert.Equal((expected, "SOME_REASON", OrderErrors.Domain), (error.Failure, error.Reason, error.Domain));
        Assert.Equal("o-1", error.Metadata["order_id"]);
        Assert.Equal("order o-1: what happened", error.Message);
    }
}
