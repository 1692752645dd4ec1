using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Tessera.Users;
using Tessera.Users.Changes;

namespace Tessera.Server.Requests;

/// <summary>
/// A request marshaller that turns a body that does not parse into INVALID_ARGUMENT naming the message type
/// ("the request is not a valid user.v1.CreateUserRequest message", ErrorInfo reason MALFORMED_REQUEST). Thrown from
/// the deserializer, the RpcException is answered by Grpc.AspNetCore without a stack trace or an error log, for
/// unary and server-streaming calls (read before the handler) and for client streams (read inside it) alike.
/// Methods that send UserEvents answer through <see cref="ChangeEvents.Marshaller"/> (each change encoded once).
/// </summary>
public static class ParsingMarshaller
{
    public const string Reason = "MALFORMED_REQUEST";

    public static Method<TRequest, TResponse> Wrap<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class
    {
        ArgumentNullException.ThrowIfNull(method);
        var requests = method.RequestMarshaller;
        var typeName = MessageName<TRequest>();
        var parsing = Marshallers.Create<TRequest>(
            requests.ContextualSerializer,
            context =>
            {
                try
                {
                    return requests.ContextualDeserializer(context);
                }
                catch (InvalidProtocolBufferException)
                {
                    throw Malformed(typeName);
                }
            });
        var responses = ChangeEvents.Marshaller is Marshaller<TResponse> events ? events : method.ResponseMarshaller;
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, parsing, responses);
    }

    private static RpcException Malformed(string typeName) => Malformed($"the request is not a valid {typeName} message", typeName);

    /// <summary>INVALID_ARGUMENT with reason <see cref="Reason"/> (and the message type, where it is known).</summary>
    internal static RpcException Malformed(string message, string? typeName)
    {
        var info = new ErrorInfo { Reason = Reason, Domain = RpcErrors.Domain };
        if (typeName is not null)
        {
            info.Metadata["type"] = typeName;
        }

        return new Google.Rpc.Status { Code = (int)Code.InvalidArgument, Message = message, Details = { Any.Pack(info) } }.ToRpcException();
    }

    private static string MessageName<T>() =>
        typeof(IMessage).IsAssignableFrom(typeof(T)) && Activator.CreateInstance(typeof(T)) is IMessage message
            ? message.Descriptor.FullName
            : typeof(T).Name;
}
