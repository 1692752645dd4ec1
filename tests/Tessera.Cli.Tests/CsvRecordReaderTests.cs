using Tessera.Cli.Import;

namespace Tessera.Cli.Tests;

public sealed class CsvRecordReaderTests
{
    [Fact]
    public void Quoted_fields_may_hold_commas_and_doubled_quotes()
    {
        var records = ReadAll("a,\"Lovelace, Ada\",\"She said \"\"hi\"\"\",\"\"\n");

        var record = Assert.Single(records);
        Assert.Equal(["a", "Lovelace, Ada", "She said \"hi\"", ""], record.Fields);
        Assert.Null(record.Error);
    }

    [Fact]
    public void A_quoted_field_may_span_lines_and_the_record_keeps_the_line_it_starts_on()
    {
        var records = ReadAll("h1,h2\r\n\"two\r\nlines\",x\r\nlast,y\r\n");

        Assert.Equal([1, 2, 4], records.Select(r => r.LineNumber));
        Assert.Equal("two\r\nlines", records[1].Fields[0]);
        Assert.Equal(["last", "y"], records[2].Fields);
    }

    [Fact]
    public void Blank_lines_are_skipped_but_still_counted()
    {
        var records = ReadAll("a\n\n\nb");

        Assert.Equal([1, 4], records.Select(r => r.LineNumber));
    }

    [Theory]
    [InlineData("ab\"c,d\nok,1\n", "a quote inside a field that is not quoted")]
    [InlineData("\"ab\"c,d\nok,1\n", "text after the closing quote")]
    public void A_malformed_record_is_reported_on_its_line_and_reading_goes_on(string csv, string expected)
    {
        var records = ReadAll(csv);

        Assert.Equal(2, records.Count);
        Assert.Contains(expected, records[0].Error);
        Assert.Equal(1, records[0].LineNumber);
        Assert.Equal(["ok", "1"], records[1].Fields);
        Assert.Null(records[1].Error);
    }

    [Fact]
    public void A_quote_never_closed_is_an_error_on_the_line_it_opened()
    {
        var records = ReadAll("a,b\n\"open,c\nd,e\n");

        Assert.Equal(2, records.Count);
        Assert.Equal(2, records[1].LineNumber);
        Assert.Contains("never closed", records[1].Error);
    }

    private static List<CsvRecord> ReadAll(string text)
    {
        var reader = new CsvRecordReader(new StringReader(text));
        var records = new List<CsvRecord>();
        while (reader.Read() is { } record)
        {
            records.Add(record);
        }

        return records;
    }
}
