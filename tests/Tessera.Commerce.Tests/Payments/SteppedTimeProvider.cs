namespace Tessera.Commerce.Tests.Payments;

/// <summary>A clock whose timers fire only when the test moves it on (<see cref="Advance"/>); one-shot timers only.</summary>
internal sealed class SteppedTimeProvider : TimeProvider
{
    private readonly Lock gate = new();
    private readonly List<Timer> timers = [];
    private TimeSpan elapsed;

    public int PendingTimers
    {
        get
        {
            lock (gate)
            {
                return timers.Count;
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    public void Advance(TimeSpan by)
    {
        List<Timer> due;
        lock (gate)
        {
            elapsed += by;
            due = timers.Where(t => t.DueAt <= elapsed).ToList();
            timers.RemoveAll(due.Contains);
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    private sealed class Timer(SteppedTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        public TimeSpan DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock.gate)
            {
                clock.timers.Remove(this);
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    DueAt = clock.elapsed + dueTime;
                    clock.timers.Add(this);
                }
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
