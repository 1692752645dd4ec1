namespace Tessera.Client.Tests;

public sealed class ChannelTests
{
    [Fact]
    public void The_defaults_are_the_local_server_a_ten_second_deadline_and_the_guides_keepalive()
    {
        var options = new TesseraClientOptions();

        Assert.Equal("http://127.0.0.1:50051", options.Address);
        Assert.Equal(TimeSpan.FromSeconds(10), options.DefaultDeadline);
        Assert.Equal(TimeSpan.FromSeconds(10), options.KeepAlivePingDelay);
        Assert.Equal(TimeSpan.FromSeconds(3), options.KeepAlivePingTimeout);
        Assert.Null(options.AccessToken);
    }

    [Theory]
    [InlineData("localhost:50051", "http://localhost:50051/")]
    [InlineData("http://10.0.0.1:6000", "http://10.0.0.1:6000/")]
    [InlineData("https://users.example.com", "https://users.example.com/")]
    public void An_address_without_a_scheme_is_taken_as_plain_http(string address, string expected) =>
        Assert.Equal(new Uri(expected), TesseraAddress.Parse(address, tlsConfigured: false).Target);

    [Fact]
    public void A_client_with_its_own_channel_can_be_made_and_disposed_without_a_server()
    {
        using var channel = TesseraChannel.Create(new TesseraClientOptions { Address = "127.0.0.1:1" });
        Assert.Equal("127.0.0.1:1", channel.Target);

        var client = new TesseraClient(new TesseraClientOptions { Address = "127.0.0.1:1" });
        client.Dispose();
    }
}
