using Tessera.Commerce.Money;

namespace Tessera.Commerce.Tests.Money;

public sealed class AmountTests
{
    [Fact]
    public void Adds_subtracts_and_multiplies_in_minor_units()
    {
        var price = new Amount(1999, "USD");
        Assert.Equal(new Amount(5997, "USD"), price * 3);
        Assert.Equal(new Amount(2999, "USD"), price + new Amount(1000, "USD"));
        Assert.Equal(new Amount(-1, "USD"), price - new Amount(2000, "USD"));
        Assert.True(price < new Amount(2000, "USD"));
        Assert.Equal(0, price.CompareTo(new Amount(1999, "USD")));
    }

    [Fact]
    public void Never_mixes_currencies()
    {
        var usd = new Amount(100, "USD");
        var eur = new Amount(100, "EUR");
        Assert.Throws<InvalidOperationException>(() => usd + eur);
        Assert.Throws<InvalidOperationException>(() => usd - eur);
        Assert.Throws<InvalidOperationException>(() => usd < eur);
        Assert.Throws<InvalidOperationException>(() => usd.CompareTo(eur));
    }

    [Fact]
    public void Overflow_throws_instead_of_wrapping()
    {
        var huge = new Amount(long.MaxValue, "USD");
        Assert.Throws<OverflowException>(() => huge + new Amount(1, "USD"));
        Assert.Throws<OverflowException>(() => huge * 2);
        Assert.Throws<OverflowException>(() => new Amount(long.MinValue, "USD") - new Amount(1, "USD"));
    }

    [Fact]
    public void Round_trips_through_the_proto_and_prints_with_the_currency_digits()
    {
        var amount = new Amount(1999, "USD");
        Assert.Equal(amount, Amount.FromProto(amount.ToProto()));
        Assert.Equal("19.99 USD", amount.ToString());
        Assert.Equal("500 JPY", new Amount(500, "JPY").ToString());
        Assert.Equal("1.234 KWD", new Amount(1234, "KWD").ToString());
    }
}
