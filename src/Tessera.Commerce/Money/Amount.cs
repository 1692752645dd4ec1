using System.Globalization;

namespace Tessera.Commerce.Money;

/// <summary>
/// An exact amount of one currency in whole minor units (money.v1.Money inside the services). Arithmetic is checked:
/// an overflow throws rather than wraps, and amounts of different currencies never mix.
/// </summary>
public readonly record struct Amount(long MinorUnits, string Currency)
{
    public static Amount Zero(string currency) => new(0, currency);

    public static Amount operator +(Amount left, Amount right) => new(checked(left.MinorUnits + Same(left, right).MinorUnits), left.Currency);

    public static Amount operator -(Amount left, Amount right) => new(checked(left.MinorUnits - Same(left, right).MinorUnits), left.Currency);

    public static Amount operator *(Amount price, int quantity) => new(checked(price.MinorUnits * quantity), price.Currency);

    public static bool operator <(Amount left, Amount right) => left.MinorUnits < Same(left, right).MinorUnits;

    public static bool operator >(Amount left, Amount right) => left.MinorUnits > Same(left, right).MinorUnits;

    public static bool operator <=(Amount left, Amount right) => left.MinorUnits <= Same(left, right).MinorUnits;

    public static bool operator >=(Amount left, Amount right) => left.MinorUnits >= Same(left, right).MinorUnits;

    public static Amount Add(Amount left, Amount right) => left + right;

    public static Amount Subtract(Amount left, Amount right) => left - right;

    public static Amount Multiply(Amount price, int quantity) => price * quantity;

    public int CompareTo(Amount other) => MinorUnits.CompareTo(Same(this, other).MinorUnits);

    public Contracts.Money.V1.Money ToProto() => new() { CurrencyCode = Currency, MinorUnits = MinorUnits };

    public static Amount FromProto(Contracts.Money.V1.Money money)
    {
        ArgumentNullException.ThrowIfNull(money);
        return new Amount(money.MinorUnits, money.CurrencyCode);
    }

    /// <summary>"19.99 USD", "500 JPY": the major-unit amount with the currency's own number of decimals.</summary>
    public override string ToString()
    {
        var digits = Currencies.IsKnown(Currency) ? Currencies.MinorUnitDigits(Currency) : 0;
        var major = (decimal)MinorUnits / (decimal)Math.Pow(10, digits);
        return $"{major.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)} {Currency}";
    }

    private static Amount Same(Amount left, Amount right) =>
        string.Equals(left.Currency, right.Currency, StringComparison.Ordinal)
            ? right
            : throw new InvalidOperationException($"cannot combine {left.Currency} with {right.Currency}");
}
