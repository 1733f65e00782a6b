using EmergencyCommand.Domain.GreenChannels;
using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Platform;
using Marten;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.GreenChannels;

public sealed record PassView(Guid Id, string VehiclePlate, string Driver, IReadOnlyList<string> Cargo, Instant ValidUntil, PassStatus Status);

public sealed record GreenChannelView(
    Guid Id, long Version, string Name, string Origin, string Destination, ChannelStatus Status, IReadOnlyList<Checkpoint> Checkpoints,
    Instant ValidFrom, Instant ValidUntil, IReadOnlyList<string> Cargo, string Jurisdiction, IReadOnlyList<PassView> Passes);

/// <param name="PresentedCodeEnding">The last four symbols of the code presented (null in checks recorded before codes were hashed).</param>
/// <param name="PresentedPlate">The plate the officer saw, for readers whose work needs plates; null in older checks.</param>
public sealed record CheckView(long Sequence, Instant At, string CheckpointCode, bool Admitted, CheckRefusal? Reason, Guid? PassId, string? Actor,
    string? PresentedCodeEnding = null, string? PresentedPlate = null);

public static class GreenChannelQueries
{
    [WolverineGet("/api/green-channels/{id:guid}", OperationId = "GetGreenChannel")]
    public static async Task<GreenChannelView> Get(Guid id, string? asOf, Reader reader, IQuerySession session, CancellationToken ct)
    {
        var (channel, version) = await StreamReads.Replay(session, reader, id, asOf, GreenChannel.Replay, "Green channel", ct, reader.Concerns);
        return ToView(channel, version, reader);
    }

    /// <summary>
    /// The channels that concern the caller (run within their area or from above it, across it), by name, now or as
    /// they stood at <c>?asOf=</c>, a page at a time (<c>offset</c>, <c>limit</c> up to 1,000; the total that match is in
    /// <c>X-Total-Count</c>). Now, <c>status</c> and the area are filtered in the database, however many channels the
    /// nation runs.
    /// </summary>
    [WolverineGet("/api/green-channels", OperationId = "ListGreenChannels")]
    public static async Task<IReadOnlyList<GreenChannelView>> List(string? status, string? offset, string? limit, string? asOf, Reader reader,
        HttpResponse response, IQuerySession session, CancellationToken ct)
    {
        var wanted = QueryValues.Enum<ChannelStatus>(status, "status");
        var page = Paging.Parse(offset, limit, 1000);
        var at = QueryValues.AsOf(asOf);
        var query = reader.Scope.FilterConcerning(session.Query<GreenChannel>(), c => c.Jurisdiction);
        if (at is null)
        {
            if (wanted is not null) query = query.Where(c => c.Status == wanted);
            Paging.Total(response, await query.CountAsync(ct));
            var now = await page.Of(query.OrderBy(c => c.Name).ThenBy(c => c.Id)).ToListAsync(ct);
            return (await StreamReads.List(session, now, c => c.Id, null, GreenChannel.Replay, ct)).Select(c => ToView(c.State, c.Version, reader)).ToList();
        }
        // As of then, every channel is rebuilt as it stood (one opened since did not exist), and the status then decides.
        var (matched, total) = await StreamReads.MatchingThen(session, query.OrderBy(c => c.Name).ThenBy(c => c.Id), c => c.Id, at.Value,
            GreenChannel.Replay, c => wanted is null || c.Status == wanted, page, "green channels", ct);
        Paging.Total(response, total);
        return matched.Select(c => ToView(c.Then, c.Version, reader)).ToList();
    }

    /// <summary>The checks recorded on one channel on one day (Beijing time; default today).</summary>
    [WolverineGet("/api/green-channels/{id:guid}/checks", OperationId = "ListChecks")]
    public static async Task<IReadOnlyList<CheckView>> Checks(Guid id, string? on, Reader reader, IQuerySession session, IClock clock, CancellationToken ct)
    {
        var channel = await session.LoadAsync<GreenChannel>(id, ct);
        if (channel is null || !reader.Concerns(channel.Jurisdiction)) throw ProblemException.NotFound($"Green channel {id}");
        var day = QueryValues.Instant(on, "on") ?? clock.GetCurrentInstant();
        var events = await session.Events.FetchStreamAsync(GreenChannelProjection.ChecksStreamId(id, day), token: ct);
        var personal = reader.SeesPersonalDataOf(channel.Jurisdiction);
        return events.Select(e => (e, c: (CheckpointChecked)e.Data))
            .Select(x => new CheckView(x.e.Sequence, x.c.CheckedAt, x.c.CheckpointCode, x.c.Admitted, x.c.Reason, x.c.PassId, x.e.UserName,
                x.c.PresentedCodeEnding, x.c.PresentedPlate is null || personal ? x.c.PresentedPlate : Reader.Withheld)).ToList();
    }

    /// <summary>Plates and drivers' names only for those whose work needs them; others see that a pass exists and its state.</summary>
    private static GreenChannelView ToView(GreenChannel c, long version, Reader reader)
    {
        var personal = reader.SeesPersonalDataOf(c.Jurisdiction);
        return new GreenChannelView(c.Id, version, c.Name, c.Origin, c.Destination, c.Status, c.Checkpoints, c.ValidFrom, c.ValidUntil, c.Cargo,
            c.Jurisdiction, c.Passes.Select(p => new PassView(p.Id, personal ? p.VehiclePlate : Reader.Withheld, personal ? p.Driver : Reader.Withheld, p.Cargo,
                p.ValidUntil, p.Status)).ToList());
    }

}
