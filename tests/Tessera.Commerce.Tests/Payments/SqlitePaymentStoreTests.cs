using Microsoft.Data.Sqlite;
using Tessera.Commerce.Payments.Storage;

namespace Tessera.Commerce.Tests.Payments;

/// <summary>The payment store contract on SQLite, in a directory of the test's own.</summary>
public sealed class SqlitePaymentStoreTests : PaymentStoreContract
{
    private readonly string directory = Directory.CreateTempSubdirectory("tessera-payments-").FullName;

    protected override SqlPaymentStore CreateStore(TimeProvider clock) =>
        new SqlitePaymentStore(Path.Combine(directory, SqlitePaymentStore.FileName), clock);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
