namespace Tessera.IntegrationTests.Reliability;

/// <summary>The suite's way to run many calls with a bounded number in flight.</summary>
internal static class Concurrently
{
    /// <summary>Runs <paramref name="action"/> for 0 to <paramref name="count"/> - 1, at most <paramref name="parallel"/> at a time.</summary>
    public static Task RunAsync(int count, int parallel, Func<int, Task> action) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, _) => await action(i));
}
