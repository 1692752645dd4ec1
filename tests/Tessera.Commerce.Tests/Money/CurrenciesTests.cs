using Tessera.Commerce.Money;

namespace Tessera.Commerce.Tests.Money;

public sealed class CurrenciesTests
{
    [Theory]
    [InlineData("USD", 2)]
    [InlineData("EUR", 2)]
    [InlineData("JPY", 0)]
    [InlineData("KRW", 0)]
    [InlineData("BHD", 3)]
    [InlineData("KWD", 3)]
    [InlineData("CLF", 4)]
    public void Knows_the_minor_unit_digits(string code, int digits) => Assert.Equal(digits, Currencies.MinorUnitDigits(code));

    [Theory]
    [InlineData("usd")]
    [InlineData("XXX")]
    [InlineData("")]
    [InlineData(null)]
    public void Refuses_codes_that_are_not_active_iso_4217_in_capitals(string? code)
    {
        Assert.False(Currencies.IsKnown(code));
        Assert.Throws<ArgumentException>(() => Currencies.MinorUnitDigits(code!));
    }
}
