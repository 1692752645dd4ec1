using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Tessera.Server.Operations;

/// <summary>
/// ASP.NET Core's DataProtection, which AddAuthentication registers and whose hosted service makes a key at start,
/// protects nothing in this server (JWT bearer tokens are signed with the JWT key; there are no cookies). Its keys
/// are kept in memory, so it writes nothing to <c>~/.aspnet</c> and warns about nothing on a user's first screen.
/// </summary>
public sealed class KeysInMemory : IXmlRepository
{
    private readonly Lock gate = new();
    private readonly List<XElement> elements = [];

    public static void Use(IServiceCollection services) =>
        services.AddDataProtection().Services.Configure<KeyManagementOptions>(keys =>
        {
            keys.XmlRepository = new KeysInMemory();
            keys.XmlEncryptor = new NullXmlEncryptor();
        });

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (gate)
        {
            return [.. elements.Select(element => new XElement(element))];
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        lock (gate)
        {
            elements.Add(new XElement(element));
        }
    }
}
