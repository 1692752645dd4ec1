using Tessera.Server;

var app = TesseraHost.Build(args);
await app.RunAsync();
