using EmergencyCommand.Domain.Situation;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;

namespace EmergencyCommand.Server.Situation;

/// <summary>
/// Writes the situation every <see cref="SituationReader.SnapshotEvery"/> events, from the first event of the log on,
/// so that time travel starts from a nearby snapshot instead of the beginning: the counts, and the open incidents with
/// open tasks (<see cref="SituationState.ForSnapshot"/>). The async daemon runs it; rebuilding it gives the same snapshots.
/// </summary>
/// <remarks>
/// The daemon fetches it only the facts that can change the situation (<see cref="SituationState.Changes"/>): the rest
/// would be read and deserialised for nothing. Time travel still folds every event after a snapshot, so a snapshot
/// taken just before a skipped fact is as good as one taken after it.
/// </remarks>
public sealed class SituationSnapshotProjection : ProjectionBase, IProjection
{
    public SituationSnapshotProjection(IEnumerable<Type> facts)
    {
        foreach (var fact in facts.Where(SituationState.Changes)) IncludeType(fact);
    }

    private SituationState? _state;
    private long _lastSnapshot;

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        if (events.Count == 0) return;
        if (_state is null || _state.Sequence >= events[0].Sequence)
        {
            // First page since start-up (or a rebuild): resume from the latest snapshot before it, and the events in between.
            _state = await SituationReader.Fold.Before(operations, events[0].Sequence, ct);
            _lastSnapshot = await operations.Query<SituationSnapshot>().Where(s => s.Id < events[0].Sequence)
                .OrderByDescending(s => s.Id).Select(s => s.Id).FirstOrDefaultAsync(ct);
        }

        _state = await SituationReader.Fold.Prepare(operations, _state, events, ct);
        foreach (var e in events)
        {
            _state = SituationReader.Fold.Evolve(_state, e);
            if (e.Sequence - _lastSnapshot >= SituationReader.SnapshotEvery)
            {
                operations.Store(new SituationSnapshot { Id = e.Sequence, LastTimestamp = e.Timestamp, State = _state });
                _lastSnapshot = e.Sequence;
            }
        }
    }
}
