namespace Tessera.Commerce.Tests.Orders.Fakes;

/// <summary>Thrown by a fake at a chosen call to stop the saga there, as a process killed at that point would.</summary>
public sealed class SimulatedCrash(string where) : Exception($"simulated crash {where}");

/// <summary>Where a fake stops the saga: before its call takes effect, or after (the effect made, the answer lost).</summary>
public sealed record CrashPoint(string Call, bool AfterEffect)
{
    public override string ToString() => $"{(AfterEffect ? "after" : "before")} {Call}";
}

/// <summary>Faults a test injects into the fakes: a crash at one call, or an error instead of a call's answer.</summary>
public sealed class Faults
{
    public CrashPoint? Crash { get; set; }

    /// <summary>Errors by call name, thrown after the call took effect when <see cref="ErrorAfterEffect"/> (the answer is lost).</summary>
    public Dictionary<string, Exception> Errors { get; } = new(StringComparer.Ordinal);

    public bool ErrorAfterEffect { get; set; }

    public void Before(string call)
    {
        if (Crash is { AfterEffect: false } crash && crash.Call == call)
        {
            throw new SimulatedCrash(crash.ToString());
        }

        if (!ErrorAfterEffect && Errors.TryGetValue(call, out var error))
        {
            throw error;
        }
    }

    public void After(string call)
    {
        if (Crash is { AfterEffect: true } crash && crash.Call == call)
        {
            throw new SimulatedCrash(crash.ToString());
        }

        if (ErrorAfterEffect && Errors.TryGetValue(call, out var error))
        {
            throw error;
        }
    }
}
