using System.Collections.Frozen;

namespace Tessera.Commerce.Money;

/// <summary>
/// The active ISO 4217 currencies and their minor-unit exponents (how many decimal places the minor unit is: 2 for
/// USD, 0 for JPY, 3 for KWD). A code outside this list is refused wherever money is accepted.
/// </summary>
public static class Currencies
{
    private static readonly FrozenSet<string> NoMinorUnit = FrozenSet.ToFrozenSet(
        ["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"],
        StringComparer.Ordinal);

    private static readonly FrozenSet<string> ThreeDecimals = FrozenSet.ToFrozenSet(
        ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], StringComparer.Ordinal);

    private static readonly FrozenSet<string> FourDecimals = FrozenSet.ToFrozenSet(["CLF", "UYW"], StringComparer.Ordinal);

    private static readonly FrozenSet<string> Codes = FrozenSet.ToFrozenSet(
    [
        "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD", "BIF", "BMD",
        "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY",
        "COP", "COU", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP",
        "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK",
        "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL",
        "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD",
        "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB",
        "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB",
        "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED",
        "VES", "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
    ], StringComparer.Ordinal);

    /// <summary>True for an active ISO 4217 code, written in capitals.</summary>
    public static bool IsKnown(string? code) => code is not null && Codes.Contains(code);

    /// <summary>Decimal places of the currency's minor unit; the code must be known.</summary>
    public static int MinorUnitDigits(string code) =>
        !IsKnown(code) ? throw new ArgumentException($"'{code}' is not an ISO 4217 currency code", nameof(code))
        : NoMinorUnit.Contains(code) ? 0
        : ThreeDecimals.Contains(code) ? 3
        : FourDecimals.Contains(code) ? 4
        : 2;
}
