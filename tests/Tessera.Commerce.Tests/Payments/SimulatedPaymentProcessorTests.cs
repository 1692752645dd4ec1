using Tessera.Commerce.Money;
using Tessera.Commerce.Payments;

namespace Tessera.Commerce.Tests.Payments;

public sealed class SimulatedPaymentProcessorTests
{
    private static readonly Amount Price = new(1999, "USD");

    [Fact]
    public async Task Tok_slow_approves_only_once_two_seconds_have_passed_on_its_clock()
    {
        var clock = new SteppedTimeProvider();
        var processor = new SimulatedPaymentProcessor(clock);

        var charge = processor.ChargeAsync(new ChargeRequest("pay_1", Price, SimulatedPaymentProcessor.Slow), default);
        Assert.Equal(1, clock.PendingTimers);
        clock.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(charge.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.1));

        var result = await charge.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(result.Approved);
    }

    [Fact]
    public async Task Every_charge_and_refund_gets_its_own_processor_reference()
    {
        var processor = new SimulatedPaymentProcessor(TimeProvider.System);

        var approved = await processor.ChargeAsync(new ChargeRequest("pay_1", Price, SimulatedPaymentProcessor.Approve), default);
        var declined = await processor.ChargeAsync(new ChargeRequest("pay_2", Price, SimulatedPaymentProcessor.Decline), default);
        var refunds = await Task.WhenAll(processor.RefundAsync(approved.ProcessorReference, Price, default), processor.RefundAsync(approved.ProcessorReference, Price, default));

        Assert.Equal(4, new[] { approved.ProcessorReference, declined.ProcessorReference, refunds[0], refunds[1] }.Distinct().Count());
        Assert.False(declined.Approved);
    }
}
