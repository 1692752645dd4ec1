namespace Tessera.Cli.Certificates;

/// <summary>One file of a development PKI: its name, PEM text, and whether it is a private key (written with mode 0600).</summary>
internal sealed record PemFile(string Name, string Contents, bool IsPrivateKey);
