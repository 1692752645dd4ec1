namespace Tessera.Client;

/// <summary>One invalid field of a request (from <c>google.rpc.BadRequest</c>): its path and what is wrong with it.</summary>
public sealed record FieldViolation(string Field, string Description);
