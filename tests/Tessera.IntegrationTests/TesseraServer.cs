using System.Collections.Concurrent;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Contracts.User.V1;
using Tessera.IntegrationTests.Observability;
using OpenTelemetry.Trace;
using Tessera.Server;
using Tessera.Server.Observability;

namespace Tessera.IntegrationTests;

/// <summary>
/// A real Tessera server on a loopback port chosen by the OS, with its own data directory, and a channel to it.
/// Like grpc-dotnet's functional tests, it records error logs so a test can fail on any unexpected one.
/// </summary>
public sealed class TesseraServer : IAsyncLifetime, IAsyncDisposable
{
    private readonly string[] extraArgs;
    private WebApplication? app;
    private LogCapture? logCapture;
    private List<System.Diagnostics.Activity>? traces;

    /// <summary>A server with authentication off (<c>--auth none</c>), for tests about the directory itself.</summary>
    public TesseraServer()
        : this(["--auth", "none"], null)
    {
    }

    /// <summary>A server with extra command-line arguments, optionally on an existing data directory.</summary>
    public static TesseraServer With(string[] extraArgs, string? dataDirectory = null) => new(extraArgs, dataDirectory);

    private TesseraServer(string[] extraArgs, string? dataDirectory)
    {
        this.extraArgs = extraArgs;
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "tessera-tests", Guid.NewGuid().ToString("N"));
    }

    public string DataDirectory { get; }

    /// <summary>The gRPC address (never a <c>--metrics-urls</c> one).</summary>
    public string Address { get; private set; } = "";

    /// <summary>The first <c>--web-urls</c> address (the console, REST and gRPC-Web), if any.</summary>
    public string? WebAddress { get; private set; }

    /// <summary>The first <c>--metrics-urls</c> address, if any.</summary>
    public string? MetricsAddress { get; private set; }

    public GrpcChannel Channel { get; private set; } = null!;

    public UserService.UserServiceClient Users { get; private set; } = null!;

    public ConcurrentQueue<string> Errors { get; } = new();

    public IServiceProvider Services => app!.Services;

    public async Task InitializeAsync()
    {
        app = TesseraHost.Build(
            ["--urls", "http://127.0.0.1:0", "--web-urls", "http://127.0.0.1:0", "--data-dir", DataDirectory, "--rate-limit", "0", .. extraArgs],
            builder =>
            {
                builder.Logging.AddProvider(new ErrorRecorder(Errors));
                if (logCapture is not null)
                {
                    builder.Logging.AddProvider(logCapture);
                }

                if (traces is not null)
                {
                    builder.Services.AddTesseraTracing(TesseraOptions.Read(builder.Configuration), tracing => tracing.AddInMemoryExporter(traces));
                }
            });
        await TesseraHost.OpenStoreAsync(app);
        await TesseraHost.PrepareAsync(app);
        await app.StartAsync();
        var listeners = app.Services.GetRequiredService<Listeners>();
        Address = listeners.AddressesOf(ListenerRole.Grpc).Single();
        WebAddress = listeners.AddressesOf(ListenerRole.Web).FirstOrDefault();
        MetricsAddress = listeners.AddressesOf(ListenerRole.Metrics).FirstOrDefault();
        Channel = GrpcChannel.ForAddress(Address, new GrpcChannelOptions { MaxSendMessageSize = null });
        Users = new UserService.UserServiceClient(Channel);
    }

    /// <summary>Records the server's logs (Information and up) of categories starting with a prefix; call before InitializeAsync.</summary>
    public LogCapture CaptureLogs(string categoryPrefix = "")
    {
        Assert.True(app is null, "CaptureLogs must be called before InitializeAsync");
        return logCapture = new LogCapture(categoryPrefix);
    }

    /// <summary>
    /// Exports the server's spans to a list, as <c>--otlp-endpoint</c> would to a collector; call before
    /// InitializeAsync. Spans are added as they end: read a copy (ToArray) while the server runs.
    /// </summary>
    public List<System.Diagnostics.Activity> ExportTraces()
    {
        Assert.True(app is null, "ExportTraces must be called before InitializeAsync");
        return traces = [];
    }

    /// <summary>Stops the host (as SIGTERM would) and waits for it.</summary>
    public async Task StopAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
        }
    }

    public async Task DisposeAsync()
    {
        Channel?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    private sealed class ErrorRecorder(ConcurrentQueue<string> errors) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, errors);

        public void Dispose()
        {
        }

        private sealed class Recorder(string category, ConcurrentQueue<string> errors) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                // grpc-dotnet logs a client's deliberate reset of a stream as an error; tests that cancel calls expect it.
                var message = formatter(state, exception);
                if (logLevel >= LogLevel.Error && !(exception is IOException && exception.Message.Contains("client reset", StringComparison.Ordinal)))
                {
                    errors.Enqueue($"{category}: {message} {exception}");
                }
            }
        }
    }
}

/// <summary>One server shared by the tests of a class; each test uses its own unique names.</summary>
public abstract class ServerTests(TesseraServer server) : IClassFixture<TesseraServer>, IDisposable
{
    protected TesseraServer Server { get; } = server;

    protected UserService.UserServiceClient Users => Server.Users;

    protected static string Unique(string prefix) => $"{prefix}{Guid.NewGuid().ToString("N")[..10]}";

    protected static CreateUserRequest NewUser(string? username = null) =>
        new() { Username = username ??= Unique("u"), Email = $"{username}@example.com", FullName = "Test User" };

    protected async Task<User> CreateAsync(string? username = null) => (await Users.CreateUserAsync(NewUser(username))).User;

    /// <summary>No test may leave an unexpected error in the server's log.</summary>
    public void Dispose()
    {
        Assert.True(Server.Errors.IsEmpty, "unexpected errors in the server log:\n" + string.Join("\n", Server.Errors));
        GC.SuppressFinalize(this);
    }
}
