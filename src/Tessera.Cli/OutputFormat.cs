namespace Tessera.Cli;

/// <summary>How results are printed: a table for people, or JSON or YAML (proto3 JSON names) for scripts.</summary>
internal enum OutputFormat
{
    Table,
    Json,
    Yaml,
}
