using Google.Protobuf;
using Tessera.Contracts.User.V1;
using Tessera.Users.Validation;

namespace Tessera.Fuzz.Targets;

/// <summary>
/// Request validation: the first byte picks the message (even: CreateUserRequest, odd: UpdateUserRequest), the rest
/// is its protobuf encoding, parsed with the generated parser the gRPC service uses and then validated as
/// CreateUser and UpdateUser do before they reach the store. Expected: <see cref="InvalidProtocolBufferException"/>
/// and INVALID_ARGUMENT.
/// </summary>
internal sealed class RequestTarget : IFuzzTarget
{
    public string Name => "request";

    public void Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        var body = input.AsSpan(1);
        if (input[0] % 2 == 0)
        {
            var create = CreateUserRequest.Parser.ParseFrom(body);
            UserEditor.ValidateCreate(create);
            UserEditor.ToNewUser(create, "hash");
            return;
        }

        var update = UpdateUserRequest.Parser.ParseFrom(body);
        if (update.User is not null)
        {
            var paths = UserEditor.ResolveMask(update.User, update.UpdateMask);
            UserEditor.Apply(Samples.User, update.User, paths);
        }
    }

    public bool IsExpected(Exception exception) =>
        Samples.IsInvalidArgument(exception) || exception is InvalidProtocolBufferException;
}
