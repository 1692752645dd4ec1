namespace Tessera.Users.Storage;

/// <summary>
/// The explicit start of a store, shared by every engine: open the database, run its migrations (forward only,
/// versioned), read the newest revision and start the writer. Nothing is opened by a constructor; the server calls
/// this once before it listens (see TesseraHost.OpenStoreAsync), and a store is unusable until it has completed.
/// </summary>
public interface IStoreInitializer
{
    /// <summary>Opens and migrates; a database that cannot be opened or is newer than this build throws.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);
}
