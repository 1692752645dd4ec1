using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Tessera.Users.Storage.Sqlite;

/// <summary>
/// Open reader connections, each with the by-id SELECT prepared once, lent out one call at a time: a GetUser costs
/// one step of an already-compiled statement instead of a connection open and a statement compile.
/// </summary>
internal sealed class PointReaders(string connectionString, string selectById) : IDisposable
{
    private readonly ConcurrentBag<Slot> idle = [];
    private readonly int maxIdle = Math.Max(4, Environment.ProcessorCount * 2);
    private bool disposed;

    public T ReadById<T>(long id, Func<SqliteDataReader, T> read)
    {
        var slot = idle.TryTake(out var taken) ? taken : new Slot(connectionString, selectById);
        var healthy = false;
        try
        {
            slot.Id.Value = id;
            T result;
            using (var reader = slot.Command.ExecuteReader())
            {
                result = read(reader);
            }

            healthy = true;
            return result;
        }
        finally
        {
            if (healthy && !Volatile.Read(ref disposed) && idle.Count < maxIdle)
            {
                idle.Add(slot);
            }
            else
            {
                slot.Dispose();
            }
        }
    }

    public void Dispose()
    {
        Volatile.Write(ref disposed, true);
        while (idle.TryTake(out var slot))
        {
            slot.Dispose();
        }
    }

    private sealed class Slot : IDisposable
    {
        private readonly SqliteConnection connection;

        public Slot(string connectionString, string selectById)
        {
            connection = new SqliteConnection(connectionString);
            connection.Open();
            Command = connection.CreateCommand();
            Command.CommandText = selectById;
            Id = Command.Parameters.Add("$id", SqliteType.Integer);
            Command.Prepare();
        }

        public SqliteCommand Command { get; }

        public SqliteParameter Id { get; }

        public void Dispose()
        {
            Command.Dispose();
            connection.Dispose();
        }
    }
}
