namespace Tessera.Users.Storage;

/// <summary>The engines a store can run on.</summary>
public enum StoreEngine
{
    /// <summary>Embedded, one file under the data directory; one server process (the default).</summary>
    Sqlite,

    /// <summary>A PostgreSQL server shared by any number of replicas.</summary>
    Postgres,
}

/// <summary>Which engine holds the data and where: the data directory for SQLite, a connection string for PostgreSQL.</summary>
public sealed record StoreOptions(StoreEngine Engine, string DataDirectory, string? ConnectionString = null)
{
    public const string SqliteFileName = "tessera.db";
}
