using Grpc.Core;
using Tessera.IntegrationTests.Observability;

namespace Tessera.IntegrationTests.Operations;

/// <summary>
/// A body that is not the method's message is INVALID_ARGUMENT naming the type, for every call kind, with nothing
/// logged but the call's own line: no stack trace, no error.
/// </summary>
public sealed class MalformedRequestTests : IAsyncLifetime
{
    /// <summary>Field 1, length-delimited, says 5 bytes follow but only 1 does: no protobuf parser accepts it.</summary>
    private static readonly byte[] Garbage = [0x0A, 0x05, 0x41];

    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(bytes => bytes, bytes => bytes);

    private readonly TesseraServer server = TesseraServer.With(["--auth", "none", "--bench-service", "true"]);
    private LogCapture logs = null!;

    public async Task InitializeAsync()
    {
        logs = server.CaptureLogs();
        await server.InitializeAsync();
    }

    public Task DisposeAsync() => server.DisposeAsync();

    [Theory]
    [InlineData("user.v1.UserService", "CreateUser", "user.v1.CreateUserRequest")]
    [InlineData("auth.v1.AuthService", "Login", "auth.v1.LoginRequest")]
    [InlineData("bench.v1.BenchService", "Noop", "bench.v1.NoopRequest")]
    [InlineData("grpc.health.v1.Health", "Check", "grpc.health.v1.HealthCheckRequest")]
    public async Task A_unary_body_that_does_not_parse_is_INVALID_ARGUMENT_naming_the_type(string service, string name, string type)
    {
        var method = new Method<byte[], byte[]>(MethodType.Unary, service, name, Raw, Raw);
        var status = await Assertions.FailsWith(StatusCode.InvalidArgument, () => server.Channel.CreateCallInvoker().AsyncUnaryCall(method, null, default, Garbage).ResponseAsync);

        Assert.Equal($"the request is not a valid {type} message", status.Message);
        Assert.Equal("MALFORMED_REQUEST", status.Reason());
        await AssertOnlyTheCallWasLoggedAsync($"/{service}/{name}");
    }

    [Fact]
    public async Task A_server_streaming_body_that_does_not_parse_is_INVALID_ARGUMENT_naming_the_type()
    {
        var method = new Method<byte[], byte[]>(MethodType.ServerStreaming, "user.v1.UserService", "ListUsers", Raw, Raw);
        var status = await Assertions.FailsWith(StatusCode.InvalidArgument, async () =>
        {
            using var call = server.Channel.CreateCallInvoker().AsyncServerStreamingCall(method, null, default, Garbage);
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });

        Assert.Equal("the request is not a valid user.v1.ListUsersRequest message", status.Message);
        await AssertOnlyTheCallWasLoggedAsync("/user.v1.UserService/ListUsers");
    }

    [Fact]
    public async Task A_client_stream_message_that_does_not_parse_is_INVALID_ARGUMENT_naming_the_type()
    {
        var method = new Method<byte[], byte[]>(MethodType.ClientStreaming, "user.v1.UserService", "BulkCreateUsers", Raw, Raw);
        var status = await Assertions.FailsWith(StatusCode.InvalidArgument, async () =>
        {
            using var call = server.Channel.CreateCallInvoker().AsyncClientStreamingCall(method, null, default);
            await call.RequestStream.WriteAsync(Garbage);
            await call.RequestStream.CompleteAsync();
            await call.ResponseAsync;
        });

        Assert.Equal("the request is not a valid user.v1.CreateUserRequest message", status.Message);
        await AssertOnlyTheCallWasLoggedAsync("/user.v1.UserService/BulkCreateUsers");
    }

    [Fact]
    public async Task A_duplex_stream_message_that_does_not_parse_is_INVALID_ARGUMENT_naming_the_type()
    {
        var method = new Method<byte[], byte[]>(MethodType.DuplexStreaming, "grpc.reflection.v1alpha.ServerReflection", "ServerReflectionInfo", Raw, Raw);
        var status = await Assertions.FailsWith(StatusCode.InvalidArgument, async () =>
        {
            using var call = server.Channel.CreateCallInvoker().AsyncDuplexStreamingCall(method, null, default);
            await call.RequestStream.WriteAsync(Garbage);
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });

        Assert.Equal("the request is not a valid grpc.reflection.v1alpha.ServerReflectionRequest message", status.Message);
        await AssertOnlyTheCallWasLoggedAsync("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo");
    }

    [Theory]
    [InlineData("flag", StatusCode.InvalidArgument, "the request is not a valid gRPC message: its compressed flag is 2 (0 or 1)")]
    [InlineData("length", StatusCode.ResourceExhausted, "the request message says it is 4,294,967,295 bytes, more than the 4,194,304 bytes this server accepts (--max-message-bytes)")]
    [InlineData("gzip", StatusCode.InvalidArgument, "the request is not a valid gRPC message: its message is flagged gzip-compressed but does not decompress")]
    [InlineData("bomb", StatusCode.ResourceExhausted, "the request message decompresses to more than 4,194,304 bytes, more than the 4,194,304 bytes this server accepts (--max-message-bytes)")]
    public async Task A_message_with_a_broken_frame_gets_its_status_and_no_stack_trace(string fault, StatusCode code, string message)
    {
        byte[] body = fault switch
        {
            "flag" => [2, 0, 0, 0, 1, 0x0A],
            "length" => [0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0A],
            // A gzip header, then a deflate block of the reserved type 3: no inflater accepts it.
            "gzip" => Frame(compressed: true, [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0x07, 0x00]),
            _ => Frame(compressed: true, Gzip(new byte[8 * 1024 * 1024])),
        };
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{server.Address}/user.v1.UserService/CreateUser")
        {
            Content = new ByteArrayContent(body),
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.TryAddWithoutValidation("grpc-encoding", "gzip");
        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var headers = response.TrailingHeaders.Concat(response.Headers).ToDictionary(header => header.Key, header => header.Value.First());

        Assert.Equal(((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture), headers["grpc-status"]);
        Assert.Equal(message, Uri.UnescapeDataString(headers["grpc-message"]));
        Assert.All(logs.Entries, entry => Assert.Null(entry.Exception));
        Assert.True(server.Errors.IsEmpty, "unexpected errors in the server log:\n" + string.Join("\n", server.Errors));
        var users = await server.Users.SearchUsersAsync(new Tessera.Contracts.User.V1.SearchUsersRequest());
        Assert.Empty(users.Users);
    }

    private static byte[] Frame(bool compressed, byte[] message)
    {
        var frame = new byte[5 + message.Length];
        frame[0] = compressed ? (byte)1 : (byte)0;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.SmallestSize))
        {
            gzip.Write(data);
        }

        return compressed.ToArray();
    }

    private async Task AssertOnlyTheCallWasLoggedAsync(string method)
    {
        var callLine = await Poll.UntilAsync(
            () => Task.FromResult(logs.Entries.Where(entry => entry.EventName == "GrpcCall").ToList()),
            lines => lines.Count > 0,
            TimeSpan.FromSeconds(5));
        var line = Assert.Single(callLine);
        Assert.Contains($"{method} from", line.Message, StringComparison.Ordinal);
        Assert.Contains("INVALID_ARGUMENT", line.Message, StringComparison.Ordinal);
        Assert.All(logs.Entries, entry => Assert.Null(entry.Exception));
        Assert.DoesNotContain(logs.Entries, entry => entry.Category.StartsWith("Grpc.", StringComparison.Ordinal));
        Assert.True(server.Errors.IsEmpty, "unexpected errors in the server log:\n" + string.Join("\n", server.Errors));
    }
}
