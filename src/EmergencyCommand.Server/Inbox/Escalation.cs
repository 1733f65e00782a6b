using EmergencyCommand.Domain.Incidents;
using EmergencyCommand.Domain.Supplies;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using NodaTime;

namespace EmergencyCommand.Server.Inbox;

public enum EscalationKind { OverdueTask, OverdueSupplyRequest }

/// <summary>A deadline that passed and the commander it was escalated to: one document per escalation, kept with its event.</summary>
public sealed class Escalation
{
    public string Id { get; set; } = "";
    public EscalationKind Kind { get; set; }
    public Guid StreamId { get; set; }
    public Guid? TaskId { get; set; }
    public string? EscalatedTo { get; set; }
    public Instant DueAt { get; set; }
    public Instant EscalatedAt { get; set; }
}

/// <summary>
/// Records each escalation as it is appended (inline), so a commander's inbox is one query away, and removes it once its
/// task is completed or its request cancelled, so that what the inbox reads is what is still open, not every deadline
/// ever missed. (A request short at its deadline and allocated in full later stays until the inbox checks it.)
/// </summary>
public sealed class EscalationProjection : ProjectionBase, IProjection
{
    public EscalationProjection()
    {
        IncludeType<TaskBecameOverdue>();
        IncludeType<SupplyRequestOverdue>();
        IncludeType<TaskCompleted>();
        IncludeType<SupplyRequestCancelled>();
        Options.DeleteViewTypeOnTeardown<Escalation>(); // a rebuild starts from none
    }

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        foreach (var e in events)
        {
            switch (e.Data)
            {
                case TaskBecameOverdue o:
                    operations.Store(new Escalation
                    {
                        Id = $"task:{o.TaskId}", Kind = EscalationKind.OverdueTask, StreamId = o.IncidentId, TaskId = o.TaskId, EscalatedTo = o.EscalatedTo,
                        DueAt = o.DueAt, EscalatedAt = o.At,
                    });
                    break;
                case SupplyRequestOverdue o:
                    operations.Store(new Escalation
                    {
                        Id = $"request:{o.RequestId}", Kind = EscalationKind.OverdueSupplyRequest, StreamId = o.RequestId, EscalatedTo = o.EscalatedTo,
                        DueAt = o.NeededBy, EscalatedAt = o.At,
                    });
                    break;
                case TaskCompleted c:
                    operations.Delete<Escalation>($"task:{c.TaskId}");
                    break;
                case SupplyRequestCancelled c:
                    operations.Delete<Escalation>($"request:{c.RequestId}");
                    break;
            }
        }
        return Task.CompletedTask;
    }
}
