using Microsoft.Data.Sqlite;
using Npgsql;
using Tessera.Users.Filtering;
using Tessera.Users.Storage.Postgres;
using Tessera.Users.Storage.Sqlite;

namespace Tessera.Fuzz.Targets;

/// <summary>
/// The AIP-160 filter parser, then, for a filter that parses, the in-memory evaluator (watch streams) and both stores'
/// SQL translations (without a database). Expected: <see cref="FilterSyntaxException"/>.
/// </summary>
internal sealed class FilterTarget : IFuzzTarget
{
    public string Name => "filter";

    public void Run(byte[] input)
    {
        var filter = FilterParser.Parse(Samples.Text(input));
        FilterEvaluator.Matches(filter, Samples.User);
        FilterEvaluator.Matches(filter, Samples.Inactive);

        using var sqlite = new SqliteCommand();
        SqliteFilterSql.Translate(filter, sqlite);
        using var postgres = new NpgsqlCommand();
        PostgresFilterSql.Translate(filter, postgres.Parameters);

        // Values travel only as parameters: one per comparison, in either engine.
        var comparisons = Comparisons(filter);
        if (sqlite.Parameters.Count != comparisons || postgres.Parameters.Count != comparisons)
        {
            throw new InvalidOperationException(
                $"{comparisons} comparisons bound {sqlite.Parameters.Count} SQLite and {postgres.Parameters.Count} PostgreSQL parameters");
        }
    }

    public bool IsExpected(Exception exception) => exception is FilterSyntaxException;

    private static int Comparisons(FilterExpression? expression) => expression switch
    {
        AndExpression and => Comparisons(and.Left) + Comparisons(and.Right),
        OrExpression or => Comparisons(or.Left) + Comparisons(or.Right),
        NotExpression not => Comparisons(not.Operand),
        Comparison => 1,
        _ => 0,
    };
}
