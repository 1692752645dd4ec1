using Tessera.Commerce.Orders.Calls;

namespace Tessera.Commerce.Tests.Orders;

/// <summary>The incoming order call's deadline caps its peer calls', inside that call only.</summary>
public sealed class IncomingDeadlineTests
{
    private static readonly DateTime Soon = DateTime.UtcNow.AddSeconds(2);

    private static async Task<DateTime> HandlerAsync(DateTime incoming)
    {
        IncomingDeadline.Set(incoming);
        await Task.Yield();
        return PeerCalls.Deadline();
    }

    [Fact]
    public async Task A_shorter_incoming_deadline_wins_and_ends_with_its_call()
    {
        Assert.Equal(Soon, await HandlerAsync(Soon));

        var after = PeerCalls.Deadline();
        Assert.InRange(after, DateTime.UtcNow.AddSeconds(9), DateTime.UtcNow.Add(PeerCalls.Timeout));
    }

    [Fact]
    public async Task A_call_without_a_deadline_or_a_longer_one_gets_the_peer_timeout()
    {
        foreach (var incoming in new[] { DateTime.MaxValue, DateTime.UtcNow.AddMinutes(5) })
        {
            var deadline = await HandlerAsync(incoming);
            Assert.InRange(deadline, DateTime.UtcNow.AddSeconds(9), DateTime.UtcNow.Add(PeerCalls.Timeout));
        }
    }
}
