using System.Net;

namespace Tessera.Client.Tests;

/// <summary>The forms <see cref="TesseraClientOptions.Address"/> takes, and the error for anything else.</summary>
public sealed class AddressTests
{
    [Fact]
    public void A_list_names_each_server_and_is_balanced_over_plain_http2()
    {
        var address = TesseraAddress.Parse("http://127.0.0.1:50051, http://127.0.0.1:50052,127.0.0.1:50053", tlsConfigured: false);

        Assert.True(address.IsBalanced);
        Assert.False(address.Tls);
        Assert.Equal(
            [new DnsEndPoint("127.0.0.1", 50051), new DnsEndPoint("127.0.0.1", 50052), new DnsEndPoint("127.0.0.1", 50053)],
            address.Servers!);
    }

    [Fact]
    public void A_list_of_https_addresses_is_tls()
    {
        var address = TesseraAddress.Parse("https://a.example:50051,https://[::1]:50052", tlsConfigured: false);

        Assert.True(address.Tls);
        Assert.Equal([new DnsEndPoint("a.example", 50051), new DnsEndPoint("::1", 50052)], address.Servers!);
    }

    [Theory]
    [InlineData("dns:///tessera-headless:50051", false)]
    [InlineData("dns://10.0.0.10/tessera-headless:50051", false)]
    [InlineData("DNS:///tessera-headless:50051", true)]
    public void A_dns_address_is_balanced_and_is_tls_exactly_when_a_ca_or_client_certificate_is_set(string text, bool tlsConfigured)
    {
        var address = TesseraAddress.Parse(text, tlsConfigured);

        Assert.True(address.IsBalanced);
        Assert.Equal(tlsConfigured, address.Tls);
        Assert.Null(address.Servers);
        Assert.Equal(new Uri("dns:///tessera-headless:50051"), address.Target);
    }

    [Fact]
    public void One_server_is_not_balanced()
    {
        var address = TesseraAddress.Parse("https://users.example.com:50051", tlsConfigured: false);

        Assert.False(address.IsBalanced);
        Assert.True(address.Tls);
        Assert.Null(address.Servers);
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("dns:///tessera-headless", "the port is missing")]
    [InlineData("dns:///", "a DNS address is dns:///host:port")]
    [InlineData("dns:tessera-headless:50051", "a DNS address is dns:///host:port")]
    [InlineData("dns:///tessera-headless:50051/users", "a DNS address is dns:///host:port")]
    [InlineData("ftp://127.0.0.1:50051", "'ftp://127.0.0.1:50051' is not an http:// or https:// address")]
    [InlineData("http://", "'http://' is not an http:// or https:// address")]
    [InlineData("http://127.0.0.1:50051,,http://127.0.0.1:50052", "the list has an empty entry")]
    [InlineData("http://127.0.0.1:50051,", "the list has an empty entry")]
    [InlineData("http://127.0.0.1:50051,https://127.0.0.1:50052", "the list mixes http:// and https:// addresses")]
    [InlineData("dns:///a:50051,dns:///b:50051", "a dns:/// address stands alone")]
    [InlineData("http://127.0.0.1:50051,dns:///b:50051", "a dns:/// address stands alone")]
    public void A_malformed_address_is_refused_saying_why_and_which_forms_work(string text, string why)
    {
        var e = Assert.Throws<ArgumentException>(() => new TesseraClient(new TesseraClientOptions { Address = text }));

        Assert.Contains(why, e.Message, StringComparison.Ordinal);
        Assert.Contains("a comma-separated list of those", e.Message, StringComparison.Ordinal);
        Assert.Contains("dns:///host:port (round-robin", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:1,http://127.0.0.1:2")]
    [InlineData("dns:///localhost:1")]
    public void A_balanced_channel_can_be_made_and_disposed_without_a_server(string address)
    {
        using var channel = TesseraChannel.Create(new TesseraClientOptions { Address = address });
        using var client = new TesseraClient(new TesseraClientOptions { Address = address });

        Assert.Equal(Grpc.Core.ConnectivityState.Idle, channel.State);
    }
}
