using Grpc.Core;

namespace Tessera.IntegrationTests;

internal static class Streams
{
    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }

    /// <summary>Reads the next message within a deadline; fails the test instead of hanging.</summary>
    public static async Task<T> NextAsync<T>(this IAsyncStreamReader<T> reader, int seconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        Assert.True(await reader.MoveNext(timeout.Token), "the stream ended early");
        return reader.Current;
    }
}

/// <summary>Keeps everything a stream delivered, so waiting for one message never loses the ones before it.</summary>
internal sealed class Inbox<T>(IAsyncStreamReader<T> reader)
{
    private readonly List<T> received = [];

    public async Task<T> WaitForAsync(Func<T, bool> wanted, int seconds = 10)
    {
        foreach (var message in received)
        {
            if (wanted(message))
            {
                return message;
            }
        }

        while (true)
        {
            var message = await reader.NextAsync(seconds);
            received.Add(message);
            if (wanted(message))
            {
                return message;
            }
        }
    }
}
