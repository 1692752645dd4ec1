using Tessera.Server;
using Tessera.Server.Operations;

if (ServerCommandLine.WantsHelp(args))
{
    Console.Write(ServerCommandLine.Help());
    return 0;
}

OwnerOnlyFiles.Apply();
try
{
    await using var app = TesseraHost.Build(args);
    await TesseraHost.OpenStoreAsync(app);
    await TesseraHost.PrepareAsync(app);
    await TesseraHost.StartAsync(app);
    await app.WaitForShutdownAsync();
}
catch (OptionsException e)
{
    Console.Error.WriteLine($"tessera-server: {e.Message}");
    return 2;
}
catch (StartupException e)
{
    Console.Error.WriteLine($"tessera-server: {e.Message}");
    return 1;
}

return 0;
