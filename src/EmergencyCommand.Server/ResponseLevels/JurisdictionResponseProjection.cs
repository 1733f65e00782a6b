using System.Security.Cryptography;
using System.Text;
using EmergencyCommand.Domain.ResponseLevels;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace EmergencyCommand.Server.ResponseLevels;

/// <summary>Each jurisdiction's level history as a document, kept inline with its events by the domain's Evolve.</summary>
public sealed partial class JurisdictionResponseProjection : SingleStreamProjection<JurisdictionResponse, Guid>
{
    public override JurisdictionResponse? Evolve(JurisdictionResponse? snapshot, Guid id, IEvent e) =>
        JurisdictionResponse.Evolve(snapshot, e.Data) is { } state ? state with { Id = id } : null;

    /// <summary>One stream per jurisdiction, so its id is derived from the code: the same code is always the same stream.</summary>
    public static Guid StreamId(string jurisdiction)
    {
        var hash = MD5.HashData(Encoding.UTF8.GetBytes("response-level:" + jurisdiction));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x30); // a name-based (version 3) UUID
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash, bigEndian: true);
    }
}
