using Tessera.Server;

try
{
    var app = TesseraHost.Build(args);
    await TesseraHost.PrepareAsync(app);
    await app.RunAsync();
}
catch (OptionsException e)
{
    Console.Error.WriteLine($"tessera-server: {e.Message}");
    return 2;
}

return 0;
