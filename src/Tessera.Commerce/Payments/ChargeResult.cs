namespace Tessera.Commerce.Payments;

/// <summary>A charge the processor finished: approved (captured) or declined with a code; either way it has a reference.</summary>
public sealed record ChargeResult(bool Approved, string ProcessorReference, string DeclineCode);
