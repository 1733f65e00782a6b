using EmergencyCommand.Domain.GreenChannels;
using EmergencyCommand.Server.Platform;
using JasperFx.Events;
using Marten.Events.Aggregation;
using NodaTime;

namespace EmergencyCommand.Server.GreenChannels;

public sealed partial class GreenChannelProjection : SingleStreamProjection<GreenChannel, Guid>
{
    public GreenChannelProjection() => this.IncludeFactsOf<IGreenChannelEvent>();

    public override GreenChannel? Evolve(GreenChannel? snapshot, Guid id, IEvent e) => GreenChannel.Evolve(snapshot, e.Data);

    /// <summary>
    /// Checkpoint checks go to one stream per channel and day (Beijing time): a busy channel's own stream stays
    /// a few dozen events long, so issuing a pass or disrupting the channel never reads thousands of checks.
    /// </summary>
    public static Guid ChecksStreamId(Guid channelId, Instant at) =>
        StreamIds.Named($"checks:{channelId}:{at.InZone(EmergencyCommand.Domain.Shared.CommandTime.Zone).Date:yyyy-MM-dd}");
}
