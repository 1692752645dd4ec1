using Grpc.Core;
using Tessera.Testing;

namespace Tessera.Client.Tests;

public sealed class ErrorTranslationTests
{
    [Fact]
    public void Invalid_argument_carries_the_reason_domain_message_and_every_field_violation()
    {
        var rpc = ServerErrors.Rich(
            StatusCode.InvalidArgument,
            "username: must be 3-32 characters; email: is not an email address",
            "INVALID_ARGUMENT",
            ("username", "must be 3-32 characters"),
            ("email", "is not an email address"));

        var error = RpcErrorTranslator.Translate(rpc);

        var invalid = Assert.IsType<InvalidArgumentException>(error);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.Equal("username: must be 3-32 characters; email: is not an email address", invalid.Message);
        Assert.Equal("INVALID_ARGUMENT", invalid.Reason);
        Assert.Equal(ServerErrors.Domain, invalid.Domain);
        Assert.Equal(
            [new FieldViolation("username", "must be 3-32 characters"), new FieldViolation("email", "is not an email address")],
            invalid.FieldViolations);
        Assert.Same(rpc, invalid.InnerException);
    }

    [Fact]
    public void Error_info_metadata_is_kept_so_a_caller_can_read_the_current_etag()
    {
        var rpc = ServerErrors.Rich(StatusCode.Aborted, "user 7 was changed by someone else", "ETAG_MISMATCH", new Dictionary<string, string> { ["etag"] = "v4" });

        var conflict = Assert.IsType<ConflictException>(RpcErrorTranslator.Translate(rpc));

        Assert.Equal("ETAG_MISMATCH", conflict.Reason);
        Assert.Equal("v4", conflict.ErrorMetadata["etag"]);
        Assert.Empty(conflict.FieldViolations);
    }

    [Theory]
    [InlineData(StatusCode.NotFound, typeof(NotFoundException))]
    [InlineData(StatusCode.AlreadyExists, typeof(AlreadyExistsException))]
    [InlineData(StatusCode.InvalidArgument, typeof(InvalidArgumentException))]
    [InlineData(StatusCode.PermissionDenied, typeof(PermissionDeniedException))]
    [InlineData(StatusCode.Unauthenticated, typeof(UnauthenticatedException))]
    [InlineData(StatusCode.Aborted, typeof(ConflictException))]
    [InlineData(StatusCode.Unavailable, typeof(UnavailableException))]
    [InlineData(StatusCode.ResourceExhausted, typeof(ResourceExhaustedException))]
    [InlineData(StatusCode.FailedPrecondition, typeof(TesseraException))]
    [InlineData(StatusCode.Internal, typeof(TesseraException))]
    [InlineData(StatusCode.DeadlineExceeded, typeof(TesseraException))]
    public void Each_status_code_becomes_its_typed_exception(StatusCode code, Type expected)
    {
        var error = RpcErrorTranslator.Translate(ServerErrors.Rich(code, "something went wrong", "SOME_REASON"));

        Assert.IsType(expected, error);
        Assert.Equal(code, error.StatusCode);
        Assert.Equal("something went wrong", error.Message);
    }

    [Fact]
    public void A_plain_status_without_details_still_gives_the_code_and_message()
    {
        var rpc = new RpcException(new Status(StatusCode.Unavailable, "Error connecting to subchannel."));

        var error = RpcErrorTranslator.Translate(rpc);

        Assert.IsType<UnavailableException>(error);
        Assert.Equal("Error connecting to subchannel.", error.Message);
        Assert.Null(error.Reason);
        Assert.Null(error.Domain);
        Assert.Empty(error.FieldViolations);
        Assert.Empty(error.ErrorMetadata);
    }

    [Fact]
    public void A_malformed_details_trailer_keeps_the_code_and_message()
    {
        var trailers = new Metadata { { "grpc-status-details-bin", new byte[] { 0xff, 0xff, 0xff } } };
        var rpc = new RpcException(new Status(StatusCode.NotFound, "user 1 does not exist"), trailers);

        var error = RpcErrorTranslator.Translate(rpc);

        Assert.IsType<NotFoundException>(error);
        Assert.Equal("user 1 does not exist", error.Message);
        Assert.Null(error.Reason);
    }

    [Fact]
    public void FromRpcException_is_the_same_translation()
    {
        var error = TesseraException.FromRpcException(ServerErrors.NotFound(3));

        Assert.IsType<NotFoundException>(error);
        Assert.Equal("USER_NOT_FOUND", error.Reason);
    }

    [Fact]
    public void A_call_that_never_connected_is_unavailable_but_a_refused_server_certificate_keeps_its_code()
    {
        var handshake = new HttpRequestException("An HTTP/2 connection could not be established because the server did not complete the HTTP/2 handshake.");
        var brokenOff = new RpcException(new Status(StatusCode.Internal, "Error starting gRPC call. HttpRequestException: " + handshake.Message, handshake));
        var untrusted = new HttpRequestException("The SSL connection could not be established.", new System.Security.Authentication.AuthenticationException("The remote certificate is invalid"));
        var refused = new RpcException(new Status(StatusCode.Internal, "Error starting gRPC call. HttpRequestException: " + untrusted.Message, untrusted));
        var serverBug = new RpcException(new Status(StatusCode.Internal, "internal error; the server logged it as trace 0HN"));

        Assert.IsType<UnavailableException>(RpcErrorTranslator.Translate(brokenOff));
        Assert.Equal(StatusCode.Internal, RpcErrorTranslator.Translate(refused).StatusCode);
        Assert.Equal(StatusCode.Internal, RpcErrorTranslator.Translate(serverBug).StatusCode);
    }
}
