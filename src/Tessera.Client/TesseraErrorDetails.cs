namespace Tessera.Client;

/// <summary>The rich error details of a failed call: google.rpc.ErrorInfo and google.rpc.BadRequest, flattened.</summary>
public sealed record TesseraErrorDetails(
    string? Reason,
    string? Domain,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<FieldViolation> FieldViolations);
