namespace Tessera.IntegrationTests.Observability;

internal static class Poll
{
    /// <summary>
    /// Checks <paramref name="check"/> until it returns a value that satisfies <paramref name="done"/> or the deadline
    /// passes, and returns the last value either way, so the caller's assertions show what was seen.
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> check, Func<T, bool> done, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            var value = await check();
            if (done(value) || DateTime.UtcNow >= until)
            {
                return value;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
