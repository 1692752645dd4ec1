using System.Collections.Concurrent;

namespace Tessera.Fuzz.Network;

/// <summary>What the run saw: outcomes counted per kind of request, and the failures with the request that caused them.</summary>
internal sealed class Tally
{
    private readonly ConcurrentDictionary<(string Kind, string Outcome), int> outcomes = new();
    private readonly ConcurrentQueue<string> failures = new();

    public int Requests => outcomes.Values.Sum();

    public int Failures => failures.Count;

    public int Count(string kind) => outcomes.Where(o => o.Key.Kind == kind).Sum(o => o.Value);

    public void Outcome(string kind, string outcome) => outcomes.AddOrUpdate((kind, outcome), 1, (_, n) => n + 1);

    /// <summary>A failure: counted under its kind as "FAILED", described with the request number that replays it.</summary>
    public void Failure(string kind, int request, string what)
    {
        Outcome(kind, "FAILED");
        failures.Enqueue($"request {request} ({kind}): {what}");
    }

    public void Write(TextWriter writer)
    {
        foreach (var group in outcomes.GroupBy(o => o.Key.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var parts = group.OrderByDescending(o => o.Value).Select(o => $"{o.Key.Outcome} {o.Value}");
            writer.WriteLine($"  {group.Key}: {string.Join(", ", parts)}");
        }

        foreach (var failure in failures.Order(StringComparer.Ordinal))
        {
            writer.WriteLine($"  FAILED {failure}");
        }
    }
}
