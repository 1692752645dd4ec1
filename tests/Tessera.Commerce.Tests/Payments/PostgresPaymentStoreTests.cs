using Tessera.Commerce.Payments.Storage;
using Tessera.Users.Tests;

namespace Tessera.Commerce.Tests.Payments;

/// <summary>The payment store contract on PostgreSQL: the class's database, its <c>payments</c> schema dropped before each test.</summary>
public sealed class PostgresPaymentStoreTests(PostgresDatabaseFixture fixture) : PaymentStoreContract, IClassFixture<PostgresDatabaseFixture>
{
    private PostgresDatabase? database;

    private PostgresDatabase Database
    {
        get
        {
            if (database is null)
            {
                database = fixture.Fresh();
                database.Execute($"DROP SCHEMA IF EXISTS {PostgresPaymentStore.Schema} CASCADE");
            }

            return database;
        }
    }

    protected override SqlPaymentStore CreateStore(TimeProvider clock) => new PostgresPaymentStore(Database.ConnectionString, clock);
}
