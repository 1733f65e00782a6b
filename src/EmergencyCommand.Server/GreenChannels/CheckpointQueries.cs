using EmergencyCommand.Domain.GreenChannels;
using EmergencyCommand.Server.Platform;
using Marten;
using Wolverine.Http;

namespace EmergencyCommand.Server.GreenChannels;

public sealed record CheckpointView(Guid ChannelId, string Channel, ChannelStatus Status, string Code, string Name);

public static class CheckpointQueries
{
    /// <summary>
    /// Where the caller may check passes: the checkpoints of the channels that are not closed and that run over their
    /// jurisdictions. Names only — what a checkpoint officer needs to pick their post, and nothing about passes.
    /// </summary>
    [WolverineGet("/api/checkpoints", OperationId = "ListCheckpoints")]
    public static async Task<IReadOnlyList<CheckpointView>> List(Reader reader, IQuerySession session, CancellationToken ct)
    {
        reader.Demand(CheckPassageEndpoint.Checkers);
        // The officer's own jurisdictions: where they stand, not what they may read (nothing, for a checkpoint officer).
        var posts = Scope.Of(reader.Actor.Jurisdictions);
        var channels = await posts.FilterConcerning(session.Query<GreenChannel>(), c => c.Jurisdiction)
            .Where(c => c.Status != ChannelStatus.Closed).OrderBy(c => c.Name).ThenBy(c => c.Id).Take(1000).ToListAsync(ct);
        return channels.SelectMany(c => c.Checkpoints.Select(p => new CheckpointView(c.Id, c.Name, c.Status, p.Code, p.Name))).ToList();
    }
}
