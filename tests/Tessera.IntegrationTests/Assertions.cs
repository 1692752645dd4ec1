using Google.Rpc;
using Grpc.Core;

namespace Tessera.IntegrationTests;

internal static class Assertions
{
    /// <summary>Asserts the call fails with <paramref name="code"/>, and returns the google.rpc status it carried.</summary>
    public static async Task<Google.Rpc.Status> FailsWith(StatusCode code, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(code == e.StatusCode, $"expected {code}, got {e.StatusCode}: {e.Status.Detail}");
        Assert.False(string.IsNullOrWhiteSpace(e.Status.Detail), "the status must say what is wrong");
        Assert.DoesNotContain("Exception", e.Status.Detail, StringComparison.Ordinal);
        return e.GetRpcStatus() ?? new Google.Rpc.Status { Code = (int)e.StatusCode, Message = e.Status.Detail };
    }

    /// <summary>The status a call ends with (OK when it succeeds); a refusal must say why.</summary>
    public static async Task<StatusCode> StatusOf(Func<Task> call)
    {
        try
        {
            await call();
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Status.Detail), "a refusal must say why");
            return e.StatusCode;
        }
    }

    public static IReadOnlyList<string> ViolatedFields(this Google.Rpc.Status status) =>
        status.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).ToList() ?? [];

    public static string? Reason(this Google.Rpc.Status status) => status.GetDetail<ErrorInfo>()?.Reason;
}
