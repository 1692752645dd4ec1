using System.Globalization;
using Tessera.Commerce.Money;
using Tessera.Contracts.Money.V1;

namespace Tessera.Cli.Commerce;

/// <summary>
/// Money as a person types and reads it: <c>19.99 USD</c>. Parsing is exact: the amount may have at most as many
/// decimal places as the currency's minor unit (2 for USD, 0 for JPY, 3 for KWD) and becomes whole minor units,
/// never a floating-point number.
/// </summary>
internal static class MoneyText
{
    /// <summary>"19.99 USD" as 1999 minor units of USD; a <see cref="CliException"/> saying what is wrong otherwise.</summary>
    public static Money Parse(string text)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2)
        {
            throw new CliException($"'{text}' is not a price: write an amount and an ISO 4217 currency code, e.g. \"19.99 USD\"");
        }

        var (amount, code) = (parts[0], parts[1].ToUpperInvariant());
        if (!Currencies.IsKnown(code))
        {
            throw new CliException($"'{parts[1]}' is not an ISO 4217 currency code (e.g. USD, EUR, JPY)");
        }

        var digits = Currencies.MinorUnitDigits(code);
        var point = amount.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? amount : amount[..point];
        var fraction = point < 0 ? "" : amount[(point + 1)..];
        if (whole.Length == 0 || !whole.All(char.IsAsciiDigit) || !fraction.All(char.IsAsciiDigit) || (point >= 0 && fraction.Length == 0))
        {
            throw new CliException($"'{amount}' is not an amount: write digits with an optional decimal point, e.g. 19.99");
        }

        if (fraction.Length > digits)
        {
            throw new CliException(digits == 0
                ? $"{code} has no minor unit: write a whole amount, not '{amount}'"
                : $"{code} has {digits} decimal places: '{amount}' has {fraction.Length}");
        }

        try
        {
            var minor = checked((long.Parse(whole, NumberStyles.None, CultureInfo.InvariantCulture) * Pow10(digits))
                + (fraction.Length == 0 ? 0 : long.Parse(fraction, NumberStyles.None, CultureInfo.InvariantCulture) * Pow10(digits - fraction.Length)));
            return new Money { CurrencyCode = code, MinorUnits = minor };
        }
        catch (OverflowException)
        {
            throw new CliException($"'{amount} {code}' is too large");
        }
    }

    /// <summary>1999 minor units of USD as "19.99 USD"; an unknown currency shows its minor units as they are.</summary>
    public static string Format(Money? money)
    {
        if (money is null)
        {
            return "";
        }

        if (!Currencies.IsKnown(money.CurrencyCode))
        {
            return $"{money.MinorUnits.ToString(CultureInfo.InvariantCulture)} {money.CurrencyCode} (minor units)";
        }

        var digits = Currencies.MinorUnitDigits(money.CurrencyCode);
        var sign = money.MinorUnits < 0 ? "-" : "";
        var magnitude = Math.Abs((decimal)money.MinorUnits).ToString(CultureInfo.InvariantCulture);
        if (digits == 0)
        {
            return $"{sign}{magnitude} {money.CurrencyCode}";
        }

        magnitude = magnitude.PadLeft(digits + 1, '0');
        return $"{sign}{magnitude[..^digits]}.{magnitude[^digits..]} {money.CurrencyCode}";
    }

    private static long Pow10(int exponent)
    {
        var result = 1L;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }
}
