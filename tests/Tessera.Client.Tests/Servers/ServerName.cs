namespace Tessera.Client.Tests.Servers;

/// <summary>The name a <see cref="ReplicaServer"/> answers with.</summary>
internal sealed record ServerName(string Value);
