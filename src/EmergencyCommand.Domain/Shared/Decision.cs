namespace EmergencyCommand.Domain.Shared;

/// <summary>A rule of the current state that a command would break; the API answers 409.</summary>
public sealed record RuleViolation(string Rule, string Detail);

/// <summary>
/// The outcome of a pure decision: either the events to append, or the rule it would break.
/// </summary>
public sealed class Decision
{
    private Decision(IReadOnlyList<object> events, RuleViolation? violation)
    {
        Events = events;
        Violation = violation;
    }

    public IReadOnlyList<object> Events { get; }
    public RuleViolation? Violation { get; }
    public bool IsAccepted => Violation is null;

    public static Decision Accept(params object[] events) => new(events, null);
    public static Decision Reject(string rule, string detail) => new([], new RuleViolation(rule, detail));

    public override string ToString() =>
        IsAccepted ? $"Accept({string.Join(", ", Events.Select(e => e.GetType().Name))})" : $"Reject({Violation})";
}
