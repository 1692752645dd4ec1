using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Tessera.Bench.Baseline;

// tessera-bench-baseline PORT [USERS [DIRECTORY]]: user.v1.UserService answered from memory (see BareUserService) on
// 127.0.0.1:PORT (h2c), as bare as the platform allows: no middleware, no interceptors, no authentication, logging at
// Warning. With a DIRECTORY, CreateUser commits to a SQLite file there before it answers (DurableUsers).
var port = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 28180;
var count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000;

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
builder.Services.AddGrpc();
builder.Services.AddSingleton(UserTable.Seed(count));
builder.Services.AddSingleton<ChangeLog>();
if (args.Length > 2)
{
    Directory.CreateDirectory(args[2]);
    builder.Services.AddSingleton(new DurableUsers(Path.Combine(args[2], "baseline.db")));
}

var app = builder.Build();
app.MapGrpcService<BareUserService>();
await app.RunAsync();
