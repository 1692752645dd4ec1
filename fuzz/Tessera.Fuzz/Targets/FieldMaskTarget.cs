using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Tessera.Contracts.User.V1;
using Tessera.Users.Validation;

namespace Tessera.Fuzz.Targets;

/// <summary>
/// UpdateUser's field mask: the input is the mask as a client writes it (comma-separated paths), given to
/// <see cref="UserEditor"/> as gRPC sends it (paths as they are) and as the REST face does (proto3 JSON, camelCase
/// paths converted), then applied to a stored user. Expected: INVALID_ARGUMENT, and from the JSON form the protobuf
/// parser's <see cref="InvalidProtocolBufferException"/> / <see cref="InvalidJsonException"/>.
/// </summary>
internal sealed class FieldMaskTarget : IFuzzTarget
{
    private static readonly User Patch = new()
    {
        Username = "alice2",
        Email = "alice2@example.com",
        FullName = "Alice Two",
        IsActive = true,
        Roles = { "editor" },
        Metadata = { ["team"] = "red" },
        Nickname = "A2",
    };

    public string Name => "field-mask";

    public void Run(byte[] input)
    {
        var text = Samples.Text(input);
        var mask = new FieldMask();
        mask.Paths.AddRange(text.Split(','));
        Apply(mask);

        var json = $$"""{"userId":"42","user":{"username":"alice2"},"updateMask":{{JsonSerializer.Serialize(text)}}}""";
        Apply(JsonParser.Default.Parse<UpdateUserRequest>(json).UpdateMask);
    }

    public bool IsExpected(Exception exception) =>
        Samples.IsInvalidArgument(exception) || exception is InvalidProtocolBufferException or InvalidJsonException;

    private static void Apply(FieldMask mask)
    {
        var paths = UserEditor.ResolveMask(Patch, mask);
        UserEditor.Apply(Samples.User, Patch, paths);
    }
}
