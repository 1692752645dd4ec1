namespace Tessera.Commerce.Money;

/// <summary>The checks every money.v1.Money in a request passes, as field violations (the field path is the caller's).</summary>
public static class MoneyRules
{
    /// <summary>Why <paramref name="money"/> is not acceptable, or null when it is. Zero is allowed only with <paramref name="allowZero"/>.</summary>
    public static string? Problem(Contracts.Money.V1.Money? money, bool allowZero = false)
    {
        if (money is null)
        {
            return "is required (currency_code and minor_units)";
        }

        if (!Currencies.IsKnown(money.CurrencyCode))
        {
            return $"currency_code must be an ISO 4217 code in capitals such as USD or EUR, not '{money.CurrencyCode}'";
        }

        if (money.MinorUnits < 0)
        {
            return $"minor_units must not be negative, not {money.MinorUnits}";
        }

        return money.MinorUnits == 0 && !allowZero ? "minor_units must be more than zero" : null;
    }
}
