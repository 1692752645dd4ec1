using Tessera.Cli.Commerce;

namespace Tessera.Cli.Tests;

/// <summary>Prices as typed: exact minor units by the currency's digits, and refusals that say what is wrong.</summary>
public sealed class MoneyTextTests
{
    [Theory]
    [InlineData("19.99 USD", "USD", 1999)]
    [InlineData("19.9 USD", "USD", 1990)]
    [InlineData("19 usd", "USD", 1900)]
    [InlineData("0.01 EUR", "EUR", 1)]
    [InlineData("500 JPY", "JPY", 500)]
    [InlineData("1.234 KWD", "KWD", 1234)]
    [InlineData("  7.5   GBP ", "GBP", 750)]
    public void Parses_into_whole_minor_units(string text, string currency, long minorUnits)
    {
        var money = MoneyText.Parse(text);

        Assert.Equal(currency, money.CurrencyCode);
        Assert.Equal(minorUnits, money.MinorUnits);
    }

    [Theory]
    [InlineData("19.999 USD", "2 decimal places")]
    [InlineData("5.5 JPY", "no minor unit")]
    [InlineData("19.99 XYZ", "ISO 4217")]
    [InlineData("19.99", "currency code")]
    [InlineData("-1.00 USD", "not an amount")]
    [InlineData("1e3 USD", "not an amount")]
    [InlineData("1,50 EUR", "not an amount")]
    [InlineData("1. USD", "not an amount")]
    [InlineData("99999999999999999999 USD", "too large")]
    public void Refuses_what_is_not_an_exact_price(string text, string why)
    {
        var error = Assert.Throws<CliException>(() => MoneyText.Parse(text));

        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("USD", 1999, "19.99 USD")]
    [InlineData("USD", 5, "0.05 USD")]
    [InlineData("USD", -250, "-2.50 USD")]
    [InlineData("JPY", 500, "500 JPY")]
    [InlineData("KWD", 1234, "1.234 KWD")]
    public void Formats_minor_units_with_the_currency_digits(string currency, long minorUnits, string expected) =>
        Assert.Equal(expected, MoneyText.Format(new Contracts.Money.V1.Money { CurrencyCode = currency, MinorUnits = minorUnits }));
}
