using Grpc.Core;
using Tessera.Cli.Import;
using Tessera.Client;
using Tessera.Contracts.User.V1;
using Tessera.Testing;

namespace Tessera.Cli.Tests;

/// <summary>Ctrl+C during an import: it stops at once and says what the server had confirmed.</summary>
public sealed class ImportCancellationTests
{
    [Fact]
    public async Task Cancelling_during_a_call_stops_with_the_rows_confirmed_before_it()
    {
        var invoker = new FakeCallInvoker();
        using var client = new TesseraClient(invoker);
        using var ctrlC = new CancellationTokenSource();
        var calls = 0;
        invoker.OnClientStreaming = _ =>
        {
            var stream = new FakeClientStream<CreateUserRequest, BulkCreateResponse>();
            var number = calls++;
            stream.Writer.OnChange = writer =>
            {
                if (!writer.Completed)
                {
                    return;
                }

                if (number == 0)
                {
                    stream.Response.SetResult(new BulkCreateResponse { CreatedCount = 30, ReplayedCount = writer.Written.Count - 30 });
                    return;
                }

                // Ctrl+C while the second call waits for its summary: grpc-dotnet ends the call CANCELLED.
                ctrlC.Cancel();
                stream.Response.SetException(new RpcException(new Status(StatusCode.Cancelled, "Call canceled by the client.")));
            };
            return stream;
        };
        var lines = Enumerable.Range(0, 300).Select(i => ImportLine.Ok(i + 2, new CreateUserRequest { Username = $"u{i}", Email = $"u{i}@example.com" }));
        var progress = new List<ImportSummary>();

        var stopped = await Assert.ThrowsAsync<ImportStoppedException>(() =>
            new UserImporter(client, skipExisting: false).ImportAsync(lines, new SyncProgress<ImportSummary>(progress.Add), null, ctrlC.Token));

        Assert.IsAssignableFrom<OperationCanceledException>(stopped.InnerException);
        Assert.Equal((30, ChunkSizer.First - 30, ChunkSizer.First), (stopped.SoFar.Created, stopped.SoFar.Replayed, stopped.SoFar.Stored));
        Assert.Equal(2, calls);
        Assert.Equal([ChunkSizer.First], progress.Select(p => p.Done));
        Assert.Contains("50 rows are stored (created 30, already imported 20, skipped 0, failed 0)", Output.ImportReport.Stopped("f.csv", stopped.SoFar));
    }
}
