using Tessera.Client;

namespace Tessera.Cli.Config;

/// <summary>
/// Where and how to connect, as the command line and the environment give it (null: not given). <see cref="With"/>
/// fills what is missing from a saved context.
/// </summary>
internal sealed record ConnectionSettings(string? Context, string? Address, string? Token, string? Ca, string? Certificate, string? Key, TimeSpan? Timeout)
{
    /// <summary>The client options for these settings over <paramref name="saved"/>, and whether the saved sign-in is used.</summary>
    /// <remarks>
    /// The saved token is sent only to the server it was issued by: with an <c>--address</c> other than the
    /// context's, and no <c>--token</c>, calls are made without a token rather than leak it to another server.
    /// </remarks>
    public (TesseraClientOptions Options, bool UsesSavedSignIn) With(SavedSession? saved)
    {
        var address = Address ?? saved?.Address ?? TesseraClientOptions.DefaultAddress;
        var sameServer = saved?.Address is null || string.Equals(saved.Address, address, StringComparison.OrdinalIgnoreCase);
        var usesSaved = Token is null && sameServer && saved is { SignedIn: true };
        var options = new TesseraClientOptions
        {
            Address = address,
            AccessToken = Token ?? (usesSaved ? saved!.AccessToken : null),
            CaCertificatePath = Ca ?? (sameServer ? saved?.Ca : null),
            ClientCertificatePath = Certificate ?? (sameServer ? saved?.Certificate : null),
            ClientKeyPath = Key ?? (sameServer ? saved?.Key : null),
        };
        if (Timeout is { } timeout)
        {
            options.DefaultDeadline = timeout;
        }

        return (options, usesSaved);
    }
}
