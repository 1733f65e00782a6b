using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Domain.Situation;
using EmergencyCommand.Server.Infrastructure;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.Situation;

public static class SituationQueries
{
    /// <summary>The board for a jurisdiction and everything under it (default: the nation), now or as of an instant.</summary>
    [WolverineGet("/api/situation", OperationId = "GetSituation")]
    public static async Task<SituationBoard> Get(string? jurisdiction, string? asOf, SituationReader reader, IClock clock, CancellationToken ct)
    {
        var scope = QueryValues.Jurisdiction(jurisdiction) ?? Jurisdictions.Nation;
        var at = QueryValues.AsOf(asOf);
        var state = await reader.AsOf(at, ct);
        return SituationBoard.Of(state, scope, at ?? clock.GetCurrentInstant());
    }
}
