namespace Tessera.Users.Storage.Postgres;

/// <summary>A queued write that runs by itself in a savepoint of the group's transaction (every write but creates).</summary>
internal interface IRunsAlone
{
    Task RunAsync(WriteScope scope);
}
