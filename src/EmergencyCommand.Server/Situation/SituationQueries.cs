using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Situation;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.Situation;

public static class SituationQueries
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(25);

    /// <summary>
    /// A stream sends at most one board per this interval: under a burst of commands each board costs a pass over the
    /// whole situation, and a wall screen gains nothing from more than twenty pictures a second.
    /// </summary>
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// The board for a jurisdiction and everything under it (default: the nation). Now, it is the live
    /// projection (its <c>sequence</c> says how far it has read); with <c>asOf</c>, rebuilt exactly from the log.
    /// </summary>
    /// <remarks>Response levels are published: everyone sees them all; the rest of the board is the reader's own jurisdictions'.</remarks>
    [WolverineGet("/api/situation", OperationId = "GetSituation")]
    public static async Task<SituationBoard> Get(string? jurisdiction, string? asOf, Reader reader, SituationReader history, SituationHub hub,
        IClock clock, CancellationToken ct)
    {
        var titled = QueryValues.Jurisdiction(jurisdiction) ?? Jurisdictions.Nation;
        var within = reader.Within(jurisdiction).Roots;
        var at = QueryValues.AsOf(asOf);
        var state = at is null ? await hub.Current(ct) : await history.AsOf(at, ct);
        return SituationBoard.Of(state, titled, at ?? clock.GetCurrentInstant(), within);
    }

    /// <summary>
    /// Server-Sent Events: <c>event: situation</c> with the board, at once and then whenever it changes. The stream ends
    /// when the sign-in that opened it no longer holds, its access token expires, or the reader's area changes; a client
    /// reconnects (an <c>EventSource</c> does by itself) and is checked afresh.
    /// </summary>
    public static void MapLiveSituation(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/situation/live", (string? jurisdiction, SituationHub hub, Identity.SignIns signIns, IClock clock,
                IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, HttpContext context) =>
            {
                var titled = QueryValues.Jurisdiction(jurisdiction) ?? Jurisdictions.Nation;
                var within = Reader.From(context).Within(jurisdiction).Roots;
                var expires = context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Properties?.ExpiresUtc;
                var openedAs = context.User;
                async Task<bool> StillWatching()
                {
                    if (expires is { } at && at <= clock.GetCurrentInstant().ToDateTimeOffset()) return false;
                    var now = await signIns.AsTheDirectoryHasThem(openedAs, openedAs.Identity?.AuthenticationType ?? "", context.RequestAborted);
                    return now?.ToActor() is { } actor && Reader.For(actor).Within(jurisdiction).Roots.SequenceEqual(within);
                }
                context.Response.Headers["X-Accel-Buffering"] = "no";
                return TypedResults.ServerSentEvents(Boards(titled, within, hub, clock, json.Value.SerializerOptions, StillWatching, context.RequestAborted));
            })
            .WithName("WatchSituation")
            .WithSummary("Live situation board as Server-Sent Events (event: situation)")
            .RequireAuthorization();

    private static async IAsyncEnumerable<SseItem<string>> Boards(string titled, IReadOnlyList<string> within, SituationHub hub, IClock clock,
        JsonSerializerOptions json, Func<Task<bool>> stillWatching,
        [EnumeratorCancellation] CancellationToken ct)
    {
        string? last = null;
        while (!ct.IsCancellationRequested)
        {
            if (!await stillWatching()) yield break;
            var next = hub.NextChange(ct);
            var board = SituationBoard.Of(await hub.Current(ct), titled, clock.GetCurrentInstant(), within);
            var body = JsonSerializer.Serialize(board, json);
            var comparable = JsonSerializer.Serialize(board with { AsOf = default }, json);
            if (comparable != last)
            {
                last = comparable;
                yield return new SseItem<string>(body, "situation");
                try
                {
                    await Task.Delay(MinInterval, ct);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
            }
            // A quiet board still says it is alive now and then, so that proxies keep the connection open.
            while (true)
            {
                try
                {
                    if (await Task.WhenAny(next, Task.Delay(Heartbeat, ct)) == next) break;
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
                if (!await stillWatching()) yield break;
                yield return new SseItem<string>("{}", "heartbeat");
            }
        }
    }
}
