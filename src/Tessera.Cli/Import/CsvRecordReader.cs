using System.Text;

namespace Tessera.Cli.Import;

/// <summary>
/// Reads RFC 4180 CSV one record at a time: fields separated by commas; a field in double quotes may
/// hold commas, line breaks and doubled quotes (<c>""</c>). Blank lines are skipped. A malformed record
/// (a quote inside an unquoted field, text after a closing quote, a quote never closed) comes back with
/// an <see cref="CsvRecord.Error"/>, and reading goes on with the next line.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader)
{
    private int _line = 1;

    /// <summary>The next record, or null at the end of the input.</summary>
    public CsvRecord? Read()
    {
        while (true)
        {
            var record = ReadOne();
            if (record is null || record.Error is not null || record.Fields is not [""])
            {
                return record;
            }
        }
    }

    private CsvRecord? ReadOne()
    {
        var start = _line;
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var closedQuote = false;
        string? error = null;
        var sawAnything = false;

        while (true)
        {
            var c = reader.Read();
            if (c == -1)
            {
                if (!sawAnything)
                {
                    return null;
                }

                if (inQuotes)
                {
                    error ??= $"a quoted field opened on line {start} is never closed";
                }

                break;
            }

            sawAnything = true;
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                        closedQuote = true;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        _line++;
                    }

                    field.Append((char)c);
                }

                continue;
            }

            if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                closedQuote = false;
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && reader.Peek() == '\n')
                {
                    reader.Read();
                }

                _line++;
                break;
            }
            else if (c == '"')
            {
                if (field.Length == 0 && !closedQuote)
                {
                    inQuotes = true;
                }
                else
                {
                    error ??= $"field {fields.Count + 1}: a quote inside a field that is not quoted (quote the whole field and double the quote: \"a\"\"b\")";
                }
            }
            else
            {
                if (closedQuote)
                {
                    error ??= $"field {fields.Count + 1}: text after the closing quote";
                }

                field.Append((char)c);
            }
        }

        fields.Add(field.ToString());
        return new CsvRecord(start, fields, error);
    }
}
