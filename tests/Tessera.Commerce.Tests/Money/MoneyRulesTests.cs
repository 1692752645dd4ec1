using Tessera.Commerce.Money;
using ProtoMoney = Tessera.Contracts.Money.V1.Money;

namespace Tessera.Commerce.Tests.Money;

public sealed class MoneyRulesTests
{
    [Fact]
    public void Accepts_a_positive_amount_of_a_known_currency() =>
        Assert.Null(MoneyRules.Problem(new ProtoMoney { CurrencyCode = "USD", MinorUnits = 1 }));

    [Fact]
    public void Accepts_zero_only_when_allowed()
    {
        var zero = new ProtoMoney { CurrencyCode = "EUR", MinorUnits = 0 };
        Assert.Contains("more than zero", MoneyRules.Problem(zero));
        Assert.Null(MoneyRules.Problem(zero, allowZero: true));
    }

    [Fact]
    public void Names_what_is_wrong()
    {
        Assert.Contains("required", MoneyRules.Problem(null));
        Assert.Contains("ISO 4217", MoneyRules.Problem(new ProtoMoney { CurrencyCode = "usd", MinorUnits = 5 }));
        Assert.Contains("negative", MoneyRules.Problem(new ProtoMoney { CurrencyCode = "USD", MinorUnits = -5 }));
    }
}
