using Grpc.Core;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests;

public sealed class CreateUserTests(TesseraServer server) : ServerTests(server)
{
    [Fact]
    public async Task Create_returns_the_stored_user_and_a_message()
    {
        var request = NewUser();
        request.Password = "correct horse battery";
        request.Roles.Add("editor");
        request.Metadata["team"] = "core";
        request.Nickname = "Nick";

        var response = await Users.CreateUserAsync(request);

        Assert.True(response.User.Id > 0);
        Assert.Equal(request.Username, response.User.Username);
        Assert.Equal(request.Email, response.User.Email);
        Assert.True(response.User.IsActive);
        Assert.Equal(["editor"], response.User.Roles);
        Assert.Equal("core", response.User.Metadata["team"]);
        Assert.Equal("Nick", response.User.Nickname);
        Assert.NotEmpty(response.User.Etag);
        Assert.InRange(response.User.CreatedAt.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Contains(request.Username, response.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("correct horse", response.ToString(), StringComparison.Ordinal);
        Assert.Equal(response.User, await Users.GetUserAsync(new GetUserRequest { UserId = response.User.Id }));
    }

    [Theory]
    [InlineData("", "a@example.com", "", "", "username")]
    [InlineData("ab", "a@example.com", "", "", "username")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", "a@example.com", "", "", "username")]
    [InlineData("bad name", "a@example.com", "", "", "username")]
    [InlineData("bad/name", "a@example.com", "", "", "username")]
    [InlineData("valid_name", "", "", "", "email")]
    [InlineData("valid_name", "not-an-email", "", "", "email")]
    [InlineData("valid_name", "a@b", "", "", "email")]
    [InlineData("valid_name", "a b@example.com", "", "", "email")]
    [InlineData("valid_name", "a@example.com", "short", "", "password")]
    [InlineData("valid_name", "a@example.com", "", "\u0007bell", "full_name")]
    public async Task Invalid_input_is_INVALID_ARGUMENT_naming_the_field(string username, string email, string password, string fullName, string field)
    {
        var status = await Assertions.FailsWith(StatusCode.InvalidArgument, () =>
            Users.CreateUserAsync(new CreateUserRequest { Username = username, Email = email, Password = password, FullName = fullName }).ResponseAsync);

        Assert.Contains(field, status.ViolatedFields());
        Assert.Equal("INVALID_ARGUMENT", status.Reason());
    }

    [Fact]
    public async Task Limits_on_lengths_are_enforced_at_their_boundaries()
    {
        var ok = NewUser();
        ok.FullName = new string('x', 200);
        ok.Password = new string('p', 128);
        Assert.Equal(200, (await Users.CreateUserAsync(ok)).User.FullName.Length);

        var longName = NewUser();
        longName.FullName = new string('x', 201);
        Assert.Contains("full_name", (await Assertions.FailsWith(StatusCode.InvalidArgument, () => Users.CreateUserAsync(longName).ResponseAsync)).ViolatedFields());

        var longPassword = NewUser();
        longPassword.Password = new string('p', 129);
        Assert.Contains("password", (await Assertions.FailsWith(StatusCode.InvalidArgument, () => Users.CreateUserAsync(longPassword).ResponseAsync)).ViolatedFields());
    }

    [Fact]
    public async Task Every_violation_is_reported_at_once()
    {
        var status = await Assertions.FailsWith(StatusCode.InvalidArgument, () =>
            Users.CreateUserAsync(new CreateUserRequest { Username = "x", Email = "y", Password = "z" }).ResponseAsync);

        Assert.Equal(["username", "email", "password"], status.ViolatedFields());
    }

    [Fact]
    public async Task Duplicate_username_or_email_is_ALREADY_EXISTS_case_insensitively()
    {
        var first = await CreateAsync();

        var sameName = NewUser(first.Username.ToUpperInvariant());
        var status = await Assertions.FailsWith(StatusCode.AlreadyExists, () => Users.CreateUserAsync(sameName).ResponseAsync);
        Assert.Equal("USERNAME_TAKEN", status.Reason());

        var sameEmail = NewUser();
        sameEmail.Email = first.Email.ToUpperInvariant();
        status = await Assertions.FailsWith(StatusCode.AlreadyExists, () => Users.CreateUserAsync(sameEmail).ResponseAsync);
        Assert.Equal("EMAIL_TAKEN", status.Reason());
        Assert.Contains("email", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fifty_concurrent_creates_of_one_username_give_exactly_one_success()
    {
        var username = Unique("race");
        var attempts = Enumerable.Range(0, 50).Select(async i =>
        {
            try
            {
                await Users.CreateUserAsync(new CreateUserRequest { Username = username, Email = $"race{i}-{username}@example.com" });
                return StatusCode.OK;
            }
            catch (RpcException e)
            {
                return e.StatusCode;
            }
        });

        var outcomes = await Task.WhenAll(attempts);

        Assert.Equal(1, outcomes.Count(c => c == StatusCode.OK));
        Assert.Equal(49, outcomes.Count(c => c == StatusCode.AlreadyExists));
        var found = Users.ListUsers(new ListUsersRequest { Filter = $"username = \"{username}\"" }).ResponseStream.ReadAllAsync();
        Assert.Single(await found.ToListAsync());
    }

    [Fact]
    public async Task A_repeated_request_id_returns_the_first_result_and_creates_nothing()
    {
        var request = NewUser();
        request.RequestId = Guid.NewGuid().ToString();
        var first = await Users.CreateUserAsync(request);
        var countBefore = (await Users.SearchUsersAsync(new SearchUsersRequest())).TotalSize;

        var again = await Users.CreateUserAsync(request);

        Assert.Equal(first.User, again.User);
        Assert.Equal(countBefore, (await Users.SearchUsersAsync(new SearchUsersRequest())).TotalSize);

        var other = NewUser();
        other.RequestId = request.RequestId;
        var status = await Assertions.FailsWith(StatusCode.InvalidArgument, () => Users.CreateUserAsync(other).ResponseAsync);
        Assert.Contains("request_id", status.ViolatedFields());
    }

    [Fact]
    public async Task A_message_over_4_MB_is_RESOURCE_EXHAUSTED_and_stores_nothing()
    {
        var request = NewUser();
        request.FullName = new string('x', 5 * 1024 * 1024);

        await Assertions.FailsWith(StatusCode.ResourceExhausted, () => Users.CreateUserAsync(request).ResponseAsync);

        var found = await Users.SearchUsersAsync(new SearchUsersRequest { Filter = $"username = \"{request.Username}\"" });
        Assert.Empty(found.Users);
    }
}
