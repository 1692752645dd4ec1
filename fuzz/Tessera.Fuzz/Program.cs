using SharpFuzz;
using Tessera.Fuzz;

// Tessera.Fuzz TARGET          run under afl-fuzz (SharpFuzz, out of process)
// Tessera.Fuzz TARGET FILE...  run each file once and say what it did (to reproduce a crash or check a corpus)
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: Tessera.Fuzz TARGET [FILE...]; targets: {string.Join(", ", FuzzTargets.All.Keys)}");
    return 2;
}

if (args.Length == 1)
{
    Fuzzer.OutOfProcess.Run(stream => FuzzTargets.RunOne(target, ReadAll(stream)));
    return 0;
}

var crashed = 0;
foreach (var file in args[1..])
{
    try
    {
        FuzzTargets.RunOne(target, File.ReadAllBytes(file));
        Console.WriteLine($"ok    {file}");
    }
    catch (Exception e)
    {
        crashed++;
        Console.WriteLine($"CRASH {file}: {e}");
    }
}

return crashed == 0 ? 0 : 1;

static byte[] ReadAll(Stream stream)
{
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    return copy.ToArray();
}
