using Tessera.Contracts.Order.V1;

namespace Tessera.Commerce.Orders;

/// <summary>What each <see cref="SagaStep"/> means outside the saga: final or not, and the public Order.State.</summary>
public static class SagaSteps
{
    /// <summary>The steps no saga or recovery moves an order out of (CancelOrder moves a Confirmed one to Cancelling). The schemas' partial index orders_unfinished lists the same numbers.</summary>
    public static readonly IReadOnlyList<SagaStep> Final = [SagaStep.Confirmed, SagaStep.Failed, SagaStep.Cancelled];

    public static bool IsFinal(this SagaStep step) => step is SagaStep.Confirmed or SagaStep.Failed or SagaStep.Cancelled;

    public static Order.Types.State ToState(this SagaStep step) => step switch
    {
        SagaStep.AwaitingPayment => Order.Types.State.PendingPayment,
        SagaStep.Confirmed => Order.Types.State.Confirmed,
        SagaStep.Failed => Order.Types.State.Failed,
        SagaStep.Cancelled => Order.Types.State.Cancelled,
        _ => Order.Types.State.Pending,
    };

    /// <summary>The steps an order in <paramref name="state"/> can be at (for ListOrders' state filter).</summary>
    public static IReadOnlyList<SagaStep> Of(Order.Types.State state) =>
        Enum.GetValues<SagaStep>().Where(step => step.ToState() == state).ToList();
}
