namespace Tessera.Monitoring.Metrics;

/// <summary>One store's size: the service it belongs to, its label (<c>file=...</c> or <c>schema=...</c>), its bytes.</summary>
public sealed record StoreSize(string Service, string Label, long Bytes);
