using EmergencyCommand.Domain.Shared;

namespace EmergencyCommand.Server.Platform;

/// <summary>
/// Who issues a command and on what terms, read once at the edge: the actor, the stream version they saw
/// (<c>If-Match</c>), the request it belongs to (correlation id) and the id of the decision it becomes.
/// </summary>
public sealed record CommandContext(Actor Actor, long? ExpectedVersion, string? CorrelationId)
{
    /// <summary>Identifies this command in the decision log; every event it appends carries it.</summary>
    public Guid DecisionId { get; } = Guid.CreateVersion7();

    /// <summary>The server acting on its own (a deadline passing): its events name the "system" actor.</summary>
    public static CommandContext Server(string? correlationId = null) => new(Actor.Server, null, correlationId);
}
