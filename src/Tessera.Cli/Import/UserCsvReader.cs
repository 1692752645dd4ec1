using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Import;

/// <summary>
/// Users from CSV: a header row naming the columns (any order, case-insensitive) from
/// username, email, full_name, password, roles (';'-separated); username and email are required.
/// </summary>
internal static class UserCsvReader
{
    public static readonly IReadOnlyList<string> Columns = ["username", "email", "full_name", "password", "roles"];

    /// <summary>The file's users, one per record: the header is read now, the records lazily.</summary>
    /// <exception cref="ImportFileException">The header is missing, malformed, or lacks a required column.</exception>
    public static IEnumerable<ImportLine> Read(TextReader reader)
    {
        var csv = new CsvRecordReader(reader);
        var columns = ReadHeader(csv);
        return Records(csv, columns);
    }

    private static IEnumerable<ImportLine> Records(CsvRecordReader csv, Dictionary<string, int> columns)
    {
        while (csv.Read() is { } record)
        {
            yield return ToLine(record, columns);
        }
    }

    private static Dictionary<string, int> ReadHeader(CsvRecordReader csv)
    {
        var header = csv.Read() ?? throw new ImportFileException($"the file is empty; the first line must name the columns ({string.Join(",", Columns)})");
        if (header.Error is not null)
        {
            throw new ImportFileException($"line {header.LineNumber} (header): {header.Error}");
        }

        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Fields.Count; i++)
        {
            var name = header.Fields[i].Trim().ToLowerInvariant();
            if (!Columns.Contains(name))
            {
                throw new ImportFileException($"line {header.LineNumber} (header): unknown column '{header.Fields[i]}'; the columns are {string.Join(", ", Columns)}");
            }

            if (!columns.TryAdd(name, i))
            {
                throw new ImportFileException($"line {header.LineNumber} (header): column '{name}' appears twice");
            }
        }

        var missing = new[] { "username", "email" }.Where(required => !columns.ContainsKey(required)).ToList();
        if (missing.Count > 0)
        {
            throw new ImportFileException($"line {header.LineNumber} (header): required column {string.Join(" and ", missing.Select(m => $"'{m}'"))} missing");
        }

        return columns;
    }

    private static ImportLine ToLine(CsvRecord record, Dictionary<string, int> columns)
    {
        string Field(string column) =>
            columns.TryGetValue(column, out var index) && index < record.Fields.Count ? record.Fields[index] : "";

        if (record.Error is not null)
        {
            return ImportLine.Bad(record.LineNumber, null, record.Error);
        }

        if (record.Fields.Count != columns.Count)
        {
            return ImportLine.Bad(record.LineNumber, Field("username"), $"expected {columns.Count} fields, found {record.Fields.Count}");
        }

        var request = new CreateUserRequest
        {
            Username = Field("username").Trim(),
            Email = Field("email").Trim(),
            FullName = Field("full_name"),
            Password = Field("password"),
        };
        request.Roles.AddRange(Field("roles").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return RequiredFields.Check(record.LineNumber, request);
    }
}
