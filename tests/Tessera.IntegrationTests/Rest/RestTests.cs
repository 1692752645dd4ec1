namespace Tessera.IntegrationTests.Rest;

/// <summary>Tests of one shared <see cref="RestServer"/>; each uses its own names. None may leave an error in the server's log.</summary>
public abstract class RestTests(RestServer fixture) : IClassFixture<RestServer>, IDisposable
{
    protected RestServer Fixture { get; } = fixture;

    protected RestClient Rest => Fixture.Rest;

    protected string Admin => Fixture.Admin;

    public void Dispose()
    {
        Assert.True(Fixture.Server.Errors.IsEmpty, "unexpected errors in the server log:\n" + string.Join("\n", Fixture.Server.Errors));
        GC.SuppressFinalize(this);
    }
}
