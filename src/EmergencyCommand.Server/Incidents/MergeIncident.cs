using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.Incidents;

public sealed record MergeIncident(Guid? IntoIncidentId, string? Rationale);

public static class MergeIncidentEndpoint
{
    public static ProblemDetails Validate(MergeIncident? command) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().Require("intoIncidentId", command.IntoIncidentId).Require("rationale", command.Rationale).ToProblem();

    /// <summary>Hotline, grid worker and hospital report the same event: the duplicate joins the survivor, both keep their history.</summary>
    [WolverinePost("/api/incidents/{id:guid}/merge", OperationId = "MergeIncident")]
    public static Task<Written> Post(Guid id, MergeIncident command, CommandContext context, EventStreams streams, CancellationToken ct) =>
        streams.Transact(context, id, [Role.Commander], async tx =>
        {
            var into = command.IntoIncidentId!.Value;
            if (into == id) throw ProblemException.Refused(new RuleViolation("merge-other", "An incident cannot be merged into itself."));
            var (duplicate, survivor) = await tx.Lock<Incident, Incident>(id, into);
            tx.Apply(IncidentDecisions.Merge(duplicate, survivor, command.Rationale!.Trim(), tx.Now), e => e is IncidentMerged ? id : into);
            return new Written(id, tx.VersionAfter(id));
        }, ct);
}
