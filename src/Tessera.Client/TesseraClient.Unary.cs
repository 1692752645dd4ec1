using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Tessera.Contracts.User.V1;

namespace Tessera.Client;

// The unary operations, async and blocking. Each gets the default deadline.
public sealed partial class TesseraClient
{
    /// <summary>Creates a user. A repeated <see cref="CreateUserRequest.RequestId"/> returns the first result.</summary>
    public async Task<CreateUserResponse> CreateUserAsync(CreateUserRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await _users.CreateUserAsync(request, UnaryOptions(cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw RpcErrorTranslator.Translate(e, cancellationToken);
        }
    }

    /// <summary>Gets one user; <see cref="NotFoundException"/> for an unknown id.</summary>
    public async Task<User> GetUserAsync(long id, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _users.GetUserAsync(new GetUserRequest { UserId = id }, UnaryOptions(cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw RpcErrorTranslator.Translate(e, cancellationToken);
        }
    }

    /// <summary>Updates the fields named in the request's update mask (no mask: the populated fields).</summary>
    public async Task<User> UpdateUserAsync(UpdateUserRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await _users.UpdateUserAsync(request, UnaryOptions(cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw RpcErrorTranslator.Translate(e, cancellationToken);
        }
    }

    /// <summary>
    /// Updates user <paramref name="id"/>: <paramref name="edit"/> fills in a blank user with the new values
    /// (and the etag to guard the write, if any); <paramref name="maskPaths"/> names the fields to change
    /// (none: the populated ones).
    /// </summary>
    /// <example><c>await client.UpdateUserAsync(7, u => u.FullName = "Ada", "full_name");</c></example>
    public Task<User> UpdateUserAsync(long id, Action<User> edit, params string[] maskPaths) =>
        UpdateUserAsync(id, edit, maskPaths, CancellationToken.None);

    /// <inheritdoc cref="UpdateUserAsync(long, Action{User}, string[])"/>
    public Task<User> UpdateUserAsync(long id, Action<User> edit, IEnumerable<string> maskPaths, CancellationToken cancellationToken) =>
        UpdateUserAsync(BuildUpdate(id, edit, maskPaths), cancellationToken);

    /// <summary>Deletes one user; with <paramref name="etag"/>, only if it still matches (else <see cref="ConflictException"/>).</summary>
    public async Task DeleteUserAsync(long id, string? etag = null, CancellationToken cancellationToken = default)
    {
        try
        {
            await _users.DeleteUserAsync(new DeleteUserRequest { UserId = id, Etag = etag ?? "" }, UnaryOptions(cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw RpcErrorTranslator.Translate(e, cancellationToken);
        }
    }

    /// <summary>One page of a token-paginated search; pass <see cref="SearchUsersResponse.NextPageToken"/> back for the next.</summary>
    public async Task<SearchUsersResponse> SearchUsersAsync(SearchUsersRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await _users.SearchUsersAsync(request, UnaryOptions(cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw RpcErrorTranslator.Translate(e, cancellationToken);
        }
    }

    /// <inheritdoc cref="CreateUserAsync"/>
    public CreateUserResponse CreateUser(CreateUserRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Blocking(() => _users.CreateUser(request, UnaryOptions(cancellationToken)), cancellationToken);
    }

    /// <inheritdoc cref="GetUserAsync"/>
    public User GetUser(long id, CancellationToken cancellationToken = default) =>
        Blocking(() => _users.GetUser(new GetUserRequest { UserId = id }, UnaryOptions(cancellationToken)), cancellationToken);

    /// <inheritdoc cref="UpdateUserAsync(UpdateUserRequest, CancellationToken)"/>
    public User UpdateUser(UpdateUserRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Blocking(() => _users.UpdateUser(request, UnaryOptions(cancellationToken)), cancellationToken);
    }

    /// <inheritdoc cref="DeleteUserAsync"/>
    public void DeleteUser(long id, string? etag = null, CancellationToken cancellationToken = default) =>
        Blocking(() => _users.DeleteUser(new DeleteUserRequest { UserId = id, Etag = etag ?? "" }, UnaryOptions(cancellationToken)), cancellationToken);

    /// <inheritdoc cref="SearchUsersAsync"/>
    public SearchUsersResponse SearchUsers(SearchUsersRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Blocking(() => _users.SearchUsers(request, UnaryOptions(cancellationToken)), cancellationToken);
    }

    internal static UpdateUserRequest BuildUpdate(long id, Action<User> edit, IEnumerable<string> maskPaths)
    {
        ArgumentNullException.ThrowIfNull(edit);
        ArgumentNullException.ThrowIfNull(maskPaths);
        var user = new User { Id = id };
        edit(user);
        var request = new UpdateUserRequest { UserId = id, User = user };
        var paths = maskPaths.ToList();
        if (paths.Count > 0)
        {
            request.UpdateMask = new FieldMask { Paths = { paths } };
        }

        return request;
    }

    private static T Blocking<T>(Func<T> call, CancellationToken cancellationToken)
    {
        try
        {
            return call();
        }
        catch (RpcException e)
        {
            throw RpcErrorTranslator.Translate(e, cancellationToken);
        }
    }
}
