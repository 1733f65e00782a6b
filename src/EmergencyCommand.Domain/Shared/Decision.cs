namespace EmergencyCommand.Domain.Shared;

/// <summary>Whether a refused command broke a rule of the state (409) or exceeded the actor's authority (403).</summary>
public enum ViolationKind { Rule, Authority }

/// <summary>Why a command is refused.</summary>
public sealed record RuleViolation(string Rule, string Detail, ViolationKind Kind = ViolationKind.Rule);

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
    public static Decision Forbid(string rule, string detail) => new([], new RuleViolation(rule, detail, ViolationKind.Authority));

    public override string ToString() =>
        IsAccepted ? $"Accept({string.Join(", ", Events.Select(e => e.GetType().Name))})" : $"Reject({Violation})";
}
