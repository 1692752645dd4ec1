using System.Text.Json;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Tessera.Server.Operations;
using Tessera.Users;

namespace Tessera.Server.Web;

/// <summary>
/// Checks a REST request against the message it becomes before JSON transcoding reads it, so that a body that is not
/// JSON, a field the message does not have, or a value of the wrong kind (in the body, the path or the query) is a
/// 400 that names the problem (transcoding itself ignores unknown fields and answers parse errors with one generic
/// message).
/// </summary>
public sealed class RestRequestCheck(RequestDelegate next, TesseraOptions options)
{
    /// <summary>gRPC and gRPC-Web calls pass straight through (no async state of their own).</summary>
    public Task InvokeAsync(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is { } transcoding && !GrpcRequest.Is(context)
            ? CheckAsync(context, transcoding)
            : next(context);

    private async Task CheckAsync(HttpContext context, GrpcJsonTranscodingMetadata transcoding)
    {
        if (RestParameters.Check(context.Request, transcoding.MethodDescriptor) is var (parameter, wrong))
        {
            await JsonStatus.WriteAsync(context, Invalid(parameter, wrong, "BAD_PARAMETER"));
            return;
        }

        RestParameters.NormalizeFieldMasks(context.Request, transcoding.MethodDescriptor);

        if (BodyType(transcoding) is not { } bodyType
            || context.Request.ContentLength == 0
            || !IsJson(context.Request.ContentType))
        {
            await next(context);
            return;
        }

        if (context.Request.ContentLength > options.MaxReceiveMessageSize)
        {
            await TooLargeAsync(context);
            return;
        }

        context.Request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: options.MaxReceiveMessageSize);
        string? problem;
        string field = "";
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            (field, problem) = Check(document.RootElement, bodyType, "");
        }
        catch (JsonException e)
        {
            problem = $"the body is not valid JSON: {e.Message}";
        }
        catch (InvalidOperationException)
        {
            // JsonDocument decodes a name only when the name is read: bytes that are not UTF-8, or an escaped lone
            // surrogate ("\ud800"), fail there. Reading names is all Check does that can throw this.
            problem = "the body is not valid JSON: a property name is not valid UTF-8 text or holds a lone surrogate";
        }
        catch (IOException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            // A chunked body that outgrew the buffer's limit.
            await TooLargeAsync(context);
            return;
        }

        if (problem is not null)
        {
            await JsonStatus.WriteAsync(context, Invalid(field, problem, "BAD_JSON"));
            return;
        }

        context.Request.Body.Position = 0;
        await next(context);
    }

    /// <summary>As gRPC answers a message over the limit (RESOURCE_EXHAUSTED), with HTTP's own status for it, 413.</summary>
    private Task TooLargeAsync(HttpContext context)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.ResourceExhausted,
            Message = $"the body is larger than {options.MaxReceiveMessageSize} bytes (--max-message-bytes)",
            Details = { Any.Pack(new ErrorInfo { Reason = "MESSAGE_TOO_LARGE", Domain = RpcErrors.Domain }) },
        };
        return JsonStatus.WriteAsync(context, status, StatusCodes.Status413PayloadTooLarge);
    }

    /// <summary>The message the body becomes: the request (body "*") or the request field the rule names; null without a body.</summary>
    private static MessageDescriptor? BodyType(GrpcJsonTranscodingMetadata transcoding) => transcoding.HttpRule.Body switch
    {
        "" => null,
        "*" => transcoding.MethodDescriptor.InputType,
        var name => transcoding.MethodDescriptor.InputType.FindFieldByName(name) is { FieldType: FieldType.Message, IsRepeated: false } field
            ? field.MessageType
            : null,
    };

    private static bool IsJson(string? contentType) =>
        contentType is null || contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);

    private static (string Field, string? Problem) Check(JsonElement json, MessageDescriptor type, string path)
    {
        if (IsWellKnown(type) || json.ValueKind == JsonValueKind.Null)
        {
            return ("", null);
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            return (path, $"{Name(path)} must be a JSON object ({type.FullName}), not {Kind(json)}");
        }

        foreach (var property in json.EnumerateObject())
        {
            var field = type.FindFieldByName(property.Name) ?? type.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == property.Name);
            var fieldPath = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
            if (field is null)
            {
                return (fieldPath, $"{type.FullName} has no field '{property.Name}'");
            }

            var result = field.IsMap ? CheckMap(property.Value, field, fieldPath)
                : field.IsRepeated ? CheckRepeated(property.Value, field, fieldPath)
                : CheckValue(property.Value, field, fieldPath);
            if (result.Problem is not null)
            {
                return result;
            }
        }

        return ("", null);
    }

    private static (string Field, string? Problem) CheckRepeated(JsonElement json, FieldDescriptor field, string path)
    {
        if (json.ValueKind == JsonValueKind.Null)
        {
            return ("", null);
        }

        if (json.ValueKind != JsonValueKind.Array)
        {
            return (path, $"'{path}' must be a JSON array, not {Kind(json)}");
        }

        var index = 0;
        foreach (var item in json.EnumerateArray())
        {
            var result = CheckValue(item, field, $"{path}[{index++}]");
            if (result.Problem is not null)
            {
                return result;
            }
        }

        return ("", null);
    }

    private static (string Field, string? Problem) CheckMap(JsonElement json, FieldDescriptor field, string path)
    {
        if (json.ValueKind == JsonValueKind.Null)
        {
            return ("", null);
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            return (path, $"'{path}' must be a JSON object (a map), not {Kind(json)}");
        }

        var valueField = field.MessageType.FindFieldByNumber(2);
        foreach (var entry in json.EnumerateObject())
        {
            var result = CheckValue(entry.Value, valueField, $"{path}.{entry.Name}");
            if (result.Problem is not null)
            {
                return result;
            }
        }

        return ("", null);
    }

    private static (string Field, string? Problem) CheckValue(JsonElement json, FieldDescriptor field, string path)
    {
        if (json.ValueKind == JsonValueKind.Null)
        {
            return ("", null);
        }

        var expected = field.FieldType switch
        {
            FieldType.Message or FieldType.Group => null,
            FieldType.String or FieldType.Bytes => json.ValueKind == JsonValueKind.String ? null : "a string",
            FieldType.Bool => json.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : "true or false",
            FieldType.Enum => json.ValueKind is JsonValueKind.String or JsonValueKind.Number ? null : $"one of {EnumNames(field.EnumType)}",
            _ => json.ValueKind is JsonValueKind.Number or JsonValueKind.String ? null : "a number",
        };
        if (expected is not null)
        {
            return (path, $"'{path}' must be {expected}, not {Kind(json)}");
        }

        return field.FieldType == FieldType.Message ? Check(json, field.MessageType, path) : ("", null);
    }

    private static bool IsWellKnown(MessageDescriptor type) => type.File.Package == "google.protobuf";

    private static string EnumNames(EnumDescriptor type) => string.Join(", ", type.Values.Select(value => value.Name));

    private static string Name(string path) => path.Length == 0 ? "the body" : $"'{path}'";

    private static string Kind(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => json.ValueKind.ToString().ToLowerInvariant(),
    };

    private static Google.Rpc.Status Invalid(string field, string problem, string reason)
    {
        var status = new Google.Rpc.Status { Code = (int)Code.InvalidArgument, Message = problem };
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = reason, Domain = RpcErrors.Domain }));
        if (field.Length > 0)
        {
            status.Details.Add(Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = problem } } }));
        }

        return status;
    }
}
