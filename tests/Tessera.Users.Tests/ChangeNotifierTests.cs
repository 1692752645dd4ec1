using Tessera.Users.Changes;

namespace Tessera.Users.Tests;

public sealed class ChangeNotifierTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_new_notifier_is_at_revision_zero() => Assert.Equal(0, new ChangeNotifier().Latest);

    [Fact]
    public async Task A_waiter_wakes_only_once_a_greater_revision_is_published()
    {
        var notifier = new ChangeNotifier();
        notifier.Publish(3);
        var beyondFour = notifier.WaitBeyondAsync(4, default);
        var beyondThree = notifier.WaitBeyondAsync(3, default);

        notifier.Publish(4);
        await beyondThree.WaitAsync(Deadline);
        Assert.False(beyondFour.IsCompleted);

        notifier.Publish(5);
        await beyondFour.WaitAsync(Deadline);
        Assert.Equal(5, notifier.Latest);
    }

    [Fact]
    public async Task Publishing_the_same_revision_again_wakes_nobody()
    {
        var notifier = new ChangeNotifier();
        notifier.Publish(2);
        var waiter = notifier.WaitBeyondAsync(2, default);
        var marker = notifier.WaitBeyondAsync(1, default);

        notifier.Publish(2);
        notifier.Publish(1);
        await marker.WaitAsync(Deadline);

        Assert.False(waiter.IsCompleted);
        notifier.Publish(3);
        await waiter.WaitAsync(Deadline);
    }

    [Fact]
    public void A_waiter_already_beyond_completes_at_once()
    {
        var notifier = new ChangeNotifier();
        notifier.Publish(10);

        Assert.True(notifier.WaitBeyondAsync(9, default).IsCompletedSuccessfully);
        Assert.True(notifier.WaitBeyondAsync(0, default).IsCompletedSuccessfully);
        Assert.False(notifier.WaitBeyondAsync(10, default).IsCompleted);
    }

    [Fact]
    public async Task Waiting_honours_cancellation()
    {
        var notifier = new ChangeNotifier();
        using var cancellation = new CancellationTokenSource();
        var waiter = notifier.WaitBeyondAsync(0, cancellation.Token);
        Assert.False(waiter.IsCompleted);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter.WaitAsync(Deadline));
        Assert.Equal(0, notifier.Latest);
    }

    [Fact]
    public async Task An_already_cancelled_token_ends_the_wait()
    {
        var notifier = new ChangeNotifier();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => notifier.WaitBeyondAsync(0, new CancellationToken(true)).WaitAsync(Deadline));
    }

    [Fact]
    public async Task One_cancelled_waiter_does_not_disturb_the_others()
    {
        var notifier = new ChangeNotifier();
        using var cancellation = new CancellationTokenSource();
        var cancelled = notifier.WaitBeyondAsync(0, cancellation.Token);
        var other = notifier.WaitBeyondAsync(0, default);

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Deadline));
        Assert.False(other.IsCompleted);

        notifier.Publish(1);
        await other.WaitAsync(Deadline);
    }

    [Fact]
    public async Task Many_concurrent_waiters_all_wake()
    {
        var notifier = new ChangeNotifier();
        var waiters = Enumerable.Range(0, 200).Select(_ => Task.Run(() => notifier.WaitBeyondAsync(0, default))).ToArray();
        var direct = Enumerable.Range(0, 200).Select(_ => notifier.WaitBeyondAsync(0, default)).ToArray();
        Assert.DoesNotContain(direct, w => w.IsCompleted);

        notifier.Publish(1);

        await Task.WhenAll(waiters.Concat(direct)).WaitAsync(Deadline);
    }

    [Fact]
    public async Task Concurrent_publishers_end_at_the_highest_revision()
    {
        var notifier = new ChangeNotifier();
        var last = notifier.WaitBeyondAsync(3999, default);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var r = 1; r <= 1000; r++)
            {
                notifier.Publish((r * 4) - t);
            }
        }))).WaitAsync(Deadline);

        Assert.Equal(4000, notifier.Latest);
        await last.WaitAsync(Deadline);
    }

    [Fact]
    public void Publishing_a_lower_revision_does_not_go_backwards()
    {
        var notifier = new ChangeNotifier();
        notifier.Publish(10);
        notifier.Publish(3);
        notifier.Publish(0);

        Assert.Equal(10, notifier.Latest);
        Assert.True(notifier.WaitBeyondAsync(5, default).IsCompletedSuccessfully);
    }
}
