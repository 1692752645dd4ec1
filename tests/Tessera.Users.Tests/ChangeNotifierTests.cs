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
    public async Task Many_waiters_registered_from_several_threads_at_once_all_wake()
    {
        var notifier = new ChangeNotifier();
        const int Threads = 8, PerThread = 50;
        using var start = new Barrier(Threads);
        var registering = Enumerable.Range(0, Threads).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                return Enumerable.Range(0, PerThread).Select(_ => notifier.WaitBeyondAsync(0, default)).ToArray();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        var waiters = (await Task.WhenAll(registering).WaitAsync(Deadline)).SelectMany(w => w).ToArray();

        // Every waiter is registered and none has woken before the revision exists.
        Assert.Equal(Threads * PerThread, waiters.Length);
        Assert.DoesNotContain(waiters, w => w.IsCompleted);

        notifier.Publish(1);

        await Task.WhenAll(waiters).WaitAsync(Deadline);
    }

    [Fact]
    public async Task A_waiter_racing_a_publish_of_the_revision_it_waits_for_always_wakes()
    {
        // The lost wake-up: a waiter that reads "nothing beyond r yet" just before a publisher swaps the signal must
        // still be woken by that publish. Both sides start together, many times over, on two dedicated threads.
        var notifier = new ChangeNotifier();
        const int Rounds = 5000;
        using var start = new Barrier(2);
        var waits = new Task[Rounds];
        var waiter = Task.Factory.StartNew(
            () =>
            {
                for (var r = 0; r < Rounds; r++)
                {
                    start.SignalAndWait();
                    waits[r] = notifier.WaitBeyondAsync(r, default);
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        var publisher = Task.Factory.StartNew(
            () =>
            {
                for (var r = 0; r < Rounds; r++)
                {
                    start.SignalAndWait();
                    notifier.Publish(r + 1);
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        await Task.WhenAll(waiter, publisher).WaitAsync(Deadline);

        await Task.WhenAll(waits).WaitAsync(Deadline);
        Assert.Equal(Rounds, notifier.Latest);
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
