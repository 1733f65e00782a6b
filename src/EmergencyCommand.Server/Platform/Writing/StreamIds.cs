using System.Security.Cryptography;
using System.Text;

namespace EmergencyCommand.Server.Platform;

/// <summary>Streams whose identity follows from a name: the same name is always the same stream.</summary>
public static class StreamIds
{
    public static Guid Named(string name)
    {
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x30); // a name-based (version 3) UUID
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash, bigEndian: true);
    }
}
