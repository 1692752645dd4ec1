using Tessera.Commerce.Orders.Calls;
using Tessera.Contracts.User.V1;

namespace Tessera.Commerce.Tests.Orders.Fakes;

public sealed class FakeUserDirectory(Faults faults) : IUserDirectory
{
    public Dictionary<long, User> Users { get; } = new() { [7] = new User { Id = 7, Username = "buyer", IsActive = true } };

    public Faults Faults { get; } = faults;

    public Task<User?> FindUserAsync(long userId, CancellationToken cancellationToken)
    {
        Faults.Before("GetUser");
        return Task.FromResult(Users.GetValueOrDefault(userId));
    }
}
