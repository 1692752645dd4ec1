using Tessera.Users.Changes;
using Tessera.Users.Storage;

namespace Tessera.Users.Tests;

/// <summary>
/// What every <see cref="IRefreshTokenStore"/> must do: a token rotates once into the next of its family; a spent or
/// revoked token presented again revokes the family; expiry; revoking a family or every sign-in of a user. A store
/// runs it by deriving from this class and implementing <see cref="CreateStore"/> (an empty database per test).
/// </summary>
public abstract class RefreshTokenStoreContract : IDisposable
{
    private IUserStore? store;

    protected ManualClock Clock { get; } = new();

    private IRefreshTokenStore Tokens => (IRefreshTokenStore)(store ??= Open());

    private DateTimeOffset InADay => Clock.GetUtcNow().AddDays(1);

    protected abstract IUserStore CreateStore(ChangeNotifier notifier, TimeProvider clock);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing && store is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    [SkippableFact]
    public async Task An_issued_token_rotates_into_the_next_of_its_family_and_that_one_rotates_on()
    {
        await Tokens.IssueAsync("t1", "family", 7, InADay, default);

        Assert.Equal(new RotateResult(RotateOutcome.Rotated, 7, "family"), await Tokens.RotateAsync("t1", "t2", InADay, default));
        Assert.Equal(new RotateResult(RotateOutcome.Rotated, 7, "family"), await Tokens.RotateAsync("t2", "t3", InADay, default));
    }

    [SkippableFact]
    public async Task A_spent_token_presented_again_revokes_its_whole_family_and_no_other()
    {
        await Tokens.IssueAsync("t1", "family", 7, InADay, default);
        await Tokens.IssueAsync("other", "other-family", 7, InADay, default);
        await Tokens.RotateAsync("t1", "t2", InADay, default);

        Assert.Equal(new RotateResult(RotateOutcome.Reused, 7, "family"), await Tokens.RotateAsync("t1", "stolen", InADay, default));

        Assert.Equal(RotateOutcome.Reused, (await Tokens.RotateAsync("t2", "t3", InADay, default)).Outcome);
        Assert.Equal(RotateOutcome.Unknown, (await Tokens.RotateAsync("stolen", "x", InADay, default)).Outcome);
        Assert.Equal(RotateOutcome.Rotated, (await Tokens.RotateAsync("other", "other2", InADay, default)).Outcome);
    }

    [SkippableFact]
    public async Task Of_concurrent_rotations_of_one_token_exactly_one_succeeds_and_the_family_is_revoked()
    {
        await Tokens.IssueAsync("t1", "family", 7, InADay, default);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Tokens.RotateAsync("t1", $"next{i}", InADay, default)));

        Assert.Equal(1, outcomes.Count(o => o.Outcome == RotateOutcome.Rotated));
        Assert.Equal(7, outcomes.Count(o => o.Outcome == RotateOutcome.Reused));
        var winner = Array.FindIndex(outcomes, o => o.Outcome == RotateOutcome.Rotated);
        Assert.Equal(RotateOutcome.Reused, (await Tokens.RotateAsync($"next{winner}", "after", InADay, default)).Outcome);
    }

    [SkippableFact]
    public async Task An_expired_token_does_not_rotate()
    {
        await Tokens.IssueAsync("t1", "family", 7, Clock.GetUtcNow().AddMinutes(5), default);
        await Tokens.IssueAsync("t2", "family2", 7, Clock.GetUtcNow().AddMinutes(10), default);
        Clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(new RotateResult(RotateOutcome.Expired, 7, "family"), await Tokens.RotateAsync("t1", "next", InADay, default));
        Assert.Equal(RotateOutcome.Unknown, (await Tokens.RotateAsync("next", "x", InADay, default)).Outcome);
        Assert.Equal(RotateOutcome.Rotated, (await Tokens.RotateAsync("t2", "t2-next", InADay, default)).Outcome);
    }

    [SkippableFact]
    public async Task An_unknown_token_is_reported_unknown_and_revokes_nothing()
    {
        await Tokens.IssueAsync("t1", "family", 7, InADay, default);

        Assert.Equal(new RotateResult(RotateOutcome.Unknown), await Tokens.RotateAsync("nope", "next", InADay, default));
        Assert.False(await Tokens.RevokeFamilyAsync("nope", default));
        Assert.Equal(RotateOutcome.Rotated, (await Tokens.RotateAsync("t1", "t2", InADay, default)).Outcome);
    }

    [SkippableFact]
    public async Task Revoking_a_family_by_any_of_its_tokens_revokes_all_of_them()
    {
        await Tokens.IssueAsync("t1", "family", 7, InADay, default);
        await Tokens.IssueAsync("other", "other-family", 7, InADay, default);
        await Tokens.RotateAsync("t1", "t2", InADay, default);

        Assert.True(await Tokens.RevokeFamilyAsync("t1", default));

        Assert.Equal(RotateOutcome.Reused, (await Tokens.RotateAsync("t2", "t3", InADay, default)).Outcome);
        Assert.True(await Tokens.RevokeFamilyAsync("t2", default), "a revoked family's token is still known");
        Assert.Equal(RotateOutcome.Rotated, (await Tokens.RotateAsync("other", "other2", InADay, default)).Outcome);
    }

    [SkippableFact]
    public async Task RevokeAll_revokes_every_sign_in_of_the_user_and_no_one_elses()
    {
        await Tokens.IssueAsync("a1", "family-a1", 1, InADay, default);
        await Tokens.IssueAsync("a2", "family-a2", 1, InADay, default);
        await Tokens.IssueAsync("b1", "family-b1", 2, InADay, default);

        Assert.Equal(2, await Tokens.RevokeAllAsync(1, default));
        Assert.Equal(0, await Tokens.RevokeAllAsync(1, default));

        Assert.Equal(RotateOutcome.Reused, (await Tokens.RotateAsync("a1", "a1-next", InADay, default)).Outcome);
        Assert.Equal(RotateOutcome.Reused, (await Tokens.RotateAsync("a2", "a2-next", InADay, default)).Outcome);
        Assert.Equal(RotateOutcome.Rotated, (await Tokens.RotateAsync("b1", "b1-next", InADay, default)).Outcome);
    }

    private IUserStore Open()
    {
        var opened = CreateStore(new ChangeNotifier(), Clock);
        ((IStoreInitializer)opened).InitializeAsync(default).GetAwaiter().GetResult();
        return opened;
    }
}
