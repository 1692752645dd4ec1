using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Bench.Scenarios;

/// <summary>BulkCreateUsers (one client stream of <see cref="BenchSettings.Batch"/> users per operation) and ListUsers (the whole directory per operation).</summary>
internal static class StreamScenarios
{
    private const int FlushEvery = 256;

    private static readonly Grpc.Core.WriteOptions Buffered = new(Grpc.Core.WriteFlags.BufferHint);

    public static BenchOperation BulkCreate(BenchSettings settings, BenchConnections connections)
    {
        var clients = connections.Invokers.Select(invoker => new UserService.UserServiceClient(invoker)).ToArray();
        var users = new UniqueUsers(settings.WithPassword);
        return async (worker, _, cancellationToken) =>
        {
            using var call = clients[worker % clients.Length].BulkCreateUsers(connections.Options(cancellationToken));
            for (var i = 1; i <= settings.Batch; i++)
            {
                // Buffered writes, flushed every FlushEvery messages: the load generator must not be the bottleneck.
                call.RequestStream.WriteOptions = i % FlushEvery == 0 ? null : Buffered;
                await call.RequestStream.WriteAsync(users.Next(), cancellationToken).ConfigureAwait(false);
            }

            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            var response = await call.ResponseAsync.ConfigureAwait(false);
            if (response.FailedCount > 0)
            {
                throw new Grpc.Core.RpcException(new Grpc.Core.Status(
                    Grpc.Core.StatusCode.Internal,
                    $"{response.FailedCount} of {settings.Batch} users failed, first: {response.Failures.FirstOrDefault()?.Reason}"));
            }

            return response.CreatedCount;
        };
    }

    public static BenchOperation ListUsers(BenchSettings settings, BenchConnections connections)
    {
        _ = settings;
        var clients = connections.Invokers.Select(invoker => new UserService.UserServiceClient(invoker)).ToArray();
        return async (worker, _, cancellationToken) =>
        {
            using var call = clients[worker % clients.Length].ListUsers(new ListUsersRequest(), connections.Options(cancellationToken));
            var count = 0L;
            while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                count++;
            }

            return count;
        };
    }
}
