namespace Tessera.Cli;

/// <summary>How results are printed: a table for people, or JSON (proto3 JSON names) for scripts.</summary>
internal enum OutputFormat
{
    Table,
    Json,
}
