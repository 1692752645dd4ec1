using System.Diagnostics;
using Tessera.Fuzz.Network;

// Sends mutated gRPC calls, raw HTTP/2 frames and REST requests, in turn, to a Tessera server on loopback; after each
// batch a normal client must still be served. Request i draws from a random source seeded with (seed, i), so
// --seed replays a run.
NetworkFuzzOptions options;
try
{
    options = NetworkFuzzOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

const int BatchSize = 60;
const int Parallel = 3;
Console.WriteLine($"network fuzz: seed {options.Seed}, up to {options.Requests} requests or {options.Duration.TotalSeconds:0} s, gRPC {options.Grpc}, REST {options.Web}");

var tally = new Tally();
using var grpc = new GrpcBodyFuzzer(options.Grpc, tally);
var http2 = new Http2FrameFuzzer(options.Grpc, tally);
using var rest = new RestFuzzer(options.Web, tally);
using var probe = new ServerProbe(options.Grpc);
var clock = Stopwatch.StartNew();
var probes = 0;
string? down = await probe.CheckAsync();
for (var start = 0; down is null && start < options.Requests && clock.Elapsed < options.Duration; start += BatchSize)
{
    var batch = Enumerable.Range(start, Math.Min(BatchSize, options.Requests - start));
    await System.Threading.Tasks.Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = Parallel }, async (request, _) =>
    {
        var mutator = new Mutator(new Random(HashCode.Combine(options.Seed, request)));
        var send = (request % 3) switch
        {
            0 => grpc.SendAsync(request, mutator),
            1 => http2.SendAsync(request, mutator),
            _ => rest.SendAsync(request, mutator),
        };
        await send;
    });
    probes++;
    down = await probe.CheckAsync();
    if (down is not null)
    {
        down = $"after requests {start}-{start + BatchSize - 1}, a normal client was not served: {down}";
    }
}

Console.WriteLine($"{tally.Requests} requests ({tally.Count(GrpcBodyFuzzer.Kind)} gRPC, {tally.Count(Http2FrameFuzzer.Kind)} HTTP/2, {tally.Count(RestFuzzer.Kind)} REST) "
    + $"in {clock.Elapsed.TotalSeconds:0} s, {probes} probes, {tally.Failures} failures, seed {options.Seed}");
tally.Write(Console.Out);
if (down is not null)
{
    Console.WriteLine($"  FAILED {down}");
}

return tally.Failures == 0 && down is null ? 0 : 1;
