using EmergencyCommand.Domain.GreenChannels;
using EmergencyCommand.Domain.Identity;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.ResponseLevels;
using EmergencyCommand.Server.Platform;
using Marten;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.Audit;

public sealed record ChangeView(long Version, long Sequence, string Type, Instant At, string? Actor, string Summary);

public static class ChangesQuery
{
    /// <summary>
    /// What was recorded on one stream after a version, told in sentences with who did it: what a page shows when the
    /// thing it displays changed under the reader (a stale If-Match). Within the reader's jurisdictions only.
    /// </summary>
    [WolverineGet("/api/streams/{id:guid}/changes", OperationId = "GetStreamChanges")]
    public static async Task<IReadOnlyList<ChangeView>> Get(Guid id, string? after, Reader reader, IQuerySession session, Modules modules,
        HttpContext http, CancellationToken ct)
    {
        var words = Ui.ReaderLanguage.WordsFor(http);
        var since = QueryValues.Whole(after, "after", 0, long.MaxValue) ?? 0;
        var events = await session.Events.FetchStreamAsync(id, token: ct);
        var jurisdictions = events.Select(e => e.Headers?.GetValueOrDefault(EventHeaders.Jurisdiction)?.ToString()?.Trim('"')).OfType<string>().ToList();
        if (events.Count == 0 || !MayRead(reader, events[0].Data, jurisdictions)) throw ProblemException.NotFound($"Stream {id}");
        return events.Where(e => e.Version > since).TakeLast(50)
            .Select(e => new ChangeView(e.Version, e.Sequence, e.Data.GetType().Name, Instant.FromDateTimeOffset(e.Timestamp), e.UserName,
                modules.Narrative.Summarize(e.Data, words))).ToList();
    }

    /// <summary>Who may read a stream's changes: whoever may read the thing itself, by the same rule as its own read.</summary>
    private static bool MayRead(Reader reader, object first, IReadOnlyList<string> jurisdictions) => first switch
    {
        IResponseLevelEvent => true, // a level in force is for everyone signed in (GET /api/jurisdictions/{code}/response-level)
        IGreenChannelEvent => reader.Concerns(jurisdictions.FirstOrDefault() ?? ""), // a channel run from above crosses the reader's area
        // An account (GET /api/users/{username}): its user, or an administrator over where the user now works.
        IUserEvent user => string.Equals(user.Username, reader.Actor.UserName, StringComparison.OrdinalIgnoreCase)
            || reader.Actor.Has(Role.Administrator) && reader.Sees(jurisdictions.LastOrDefault()),
        _ => reader.Sees(jurisdictions.FirstOrDefault()),
    };
}
