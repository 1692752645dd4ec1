using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Tessera.Contracts.User.V1;

namespace Tessera.Users.Chat;

/// <summary>
/// The chat bus of replicas sharing one PostgreSQL database: an event is published with <c>pg_notify</c> on the
/// channel <see cref="Channel"/>, and each replica holds one LISTEN connection that hands what arrives to its rooms.
/// </summary>
/// <remarks>
/// <para>One order per room. The publishing statement bumps the room's row in <c>tessera_chat_rooms</c> and notifies
/// with the new number in the same (single-statement) transaction; the row lock it holds until commit makes two events
/// of one room commit in their numbers' order. PostgreSQL delivers notifications in commit order to every listener:
/// "It is also guaranteed that messages from different transactions are delivered in the order in which the
/// transactions committed" (PostgreSQL 15 documentation, SQL command NOTIFY, https://www.postgresql.org/docs/15/sql-notify.html;
/// async.c's PreCommit_Notify takes a cluster-wide lock so that queue entries go in commit order). So every replica
/// receives each room's events in number order, and its members see that order.</para>
/// <para>Size. A notification payload must be shorter than 8000 bytes (same page): an event whose JSON does not fit
/// is refused before it is sent (<see cref="ChatTextTooLongException"/>, INVALID_ARGUMENT for the caller). UserChat
/// allows 4096 characters, which in UTF-8 can exceed it.</para>
/// <para>Loss. Notifications reach only connected listeners: when the LISTEN connection fails, <see cref="Connected"/>
/// turns false and the rooms are told (<see cref="IChatReceiver.Lost"/>, which ends every local member's call with
/// UNAVAILABLE: they rejoin rather than silently miss messages); joins are refused until it reconnects, with backoff
/// from <see cref="FirstRetryDelay"/> doubling up to <see cref="LastRetryDelay"/>.</para>
/// <para>Room numbers live in <c>tessera_chat_rooms</c>, one row per room name ever used, created by the store's
/// versioned migrations (Storage/Postgres/PostgresSchema.cs), which run before the bus starts.</para>
/// </remarks>
public sealed partial class PostgresChatBus : BackgroundService, IChatBus
{
    public const string Channel = "tessera_chat";

    /// <summary>NOTIFY's payload limit is "shorter than 8000 bytes"; 20 bytes of it carry the number and a space.</summary>
    public const int MaxEventBytes = 7999 - 20;

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastRetryDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(10);
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string Publish = """
        WITH numbered AS (
            INSERT INTO tessera_chat_rooms AS r (room, sequence) VALUES ($1, 1)
            ON CONFLICT (room) DO UPDATE SET sequence = r.sequence + 1
            RETURNING sequence)
        SELECT pg_notify('tessera_chat', sequence::text || ' ' || $2) FROM numbered
        """;

    private readonly NpgsqlDataSource publishers;
    private readonly NpgsqlDataSource listeners;
    private readonly ILogger<PostgresChatBus> logger;
    private readonly TaskCompletionSource firstListen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IChatReceiver? receiver;
    private volatile bool connected;
    private int disposed;

    public PostgresChatBus(string connectionString, ILogger<PostgresChatBus> logger)
    {
        this.logger = logger;
        publishers = NpgsqlDataSource.Create(connectionString);

        // Unpooled, with TCP keepalive, so a dead peer is noticed and a LISTEN never lingers in a pool.
        listeners = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 10 }.ConnectionString);
    }

    public bool Connected => connected;

    /// <summary>The server process id of the LISTEN connection (0 while not connected); for tests that cut it.</summary>
    public int ListenerProcessId { get; private set; }

    public void Subscribe(IChatReceiver receiver) => Volatile.Write(ref this.receiver, receiver);

    public async Task PublishAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        var json = Serialize(message);
        if (json.Length > MaxEventBytes)
        {
            throw new ChatTextTooLongException(json.Length, MaxEventBytes);
        }

        await using var command = publishers.CreateCommand(Publish);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = message.Room });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Encoding.UTF8.GetString(json) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Starts listening and waits (at most 10 s) for the first LISTEN, so members can join once the server serves.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken);
        try
        {
            await firstListen.Task.WaitAsync(StartWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            LogStillConnecting(logger, StartWait.TotalSeconds);
        }
    }

    /// <summary>Idempotent: the container disposes this instance once for each service it is registered as.</summary>
    public override void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        base.Dispose();
        publishers.Dispose();
        listeners.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = FirstRetryDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbException or IOException or SocketException or TimeoutException)
            {
                if (connected)
                {
                    connected = false;
                    ListenerProcessId = 0;
                    Volatile.Read(ref receiver)?.Lost();
                    delay = FirstRetryDelay;
                }

                LogListenFailed(logger, e, delay.TotalMilliseconds);
            }

            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastRetryDelay.Ticks));
        }
    }

    /// <summary>Listens until the connection fails; returns only by throwing.</summary>
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = await listeners.OpenConnectionAsync(stoppingToken);
        connection.Notification += (_, notification) => OnNotification(notification.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        ListenerProcessId = connection.ProcessID;
        connected = true;
        firstListen.TrySetResult();
        LogListening(logger);
        while (true)
        {
            await connection.WaitAsync(stoppingToken);
        }
    }

    private void OnNotification(string payload)
    {
        var space = payload.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || !long.TryParse(payload.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            LogUnreadable(logger, payload.Length);
            return;
        }

        ChatMessage message;
        try
        {
            message = Deserialize(payload.AsSpan(space + 1));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            LogUnreadable(logger, payload.Length);
            return;
        }

        message.Sequence = sequence;
        Volatile.Read(ref receiver)?.Deliver(message);
    }

    private static byte[] Serialize(ChatMessage message)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("room", message.Room);
            json.WriteNumber("kind", (int)message.Kind);
            json.WriteString("sender", message.Sender);
            json.WriteString("text", message.Text);
            json.WriteNumber("sent_at_seconds", message.SentAt.Seconds);
            json.WriteNumber("sent_at_nanos", message.SentAt.Nanos);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static ChatMessage Deserialize(ReadOnlySpan<char> json)
    {
        using var document = JsonDocument.Parse(json.ToString());
        var root = document.RootElement;
        return new ChatMessage
        {
            Room = root.GetProperty("room").GetString()!,
            Kind = (ChatMessage.Types.Kind)root.GetProperty("kind").GetInt32(),
            Sender = root.GetProperty("sender").GetString()!,
            Text = root.GetProperty("text").GetString()!,
            SentAt = new Timestamp { Seconds = root.GetProperty("sent_at_seconds").GetInt64(), Nanos = root.GetProperty("sent_at_nanos").GetInt32() },
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Chat bus listening on PostgreSQL channel tessera_chat")]
    private static partial void LogListening(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat bus connection failed; retrying in {DelayMs} ms")]
    private static partial void LogListenFailed(ILogger logger, Exception exception, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat bus not connected after {Seconds} s; joins are refused until it is")]
    private static partial void LogStillConnecting(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Chat bus notification of {Length} characters could not be read; ignored")]
    private static partial void LogUnreadable(ILogger logger, int length);
}
