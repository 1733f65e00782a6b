using EmergencyCommand.Domain.Shared;

namespace EmergencyCommand.Domain.ResponseLevels;

/// <summary>Each level decision in one sentence, with the commander's rationale.</summary>
public static class ResponseLevelNarrative
{
    public static readonly Narrative Facts = new Narrative()
        .On<ResponseLevelDeclared>(l => $"Level {l.Level} declared for {l.Jurisdiction}, effective {CommandTime.Said(l.EffectiveAt)}", l => l.Rationale)
        .On<ResponseLevelEscalated>(l => $"{l.Jurisdiction} escalated {l.From} → {l.To}, effective {CommandTime.Said(l.EffectiveAt)}", l => l.Rationale)
        .On<ResponseLevelDeescalated>(l => $"{l.Jurisdiction} de-escalated {l.From} → {l.To}, effective {CommandTime.Said(l.EffectiveAt)}", l => l.Rationale)
        .On<ResponseLevelTerminated>(l => $"Response in {l.Jurisdiction} terminated (was {l.From}), effective {CommandTime.Said(l.EffectiveAt)}", l => l.Rationale)
        .On<ScheduledChangeSuperseded>(l => $"The change to {l.Jurisdiction} that {l.ScheduledBy} scheduled for {CommandTime.Said(l.ScheduledFor)} superseded", l => l.Rationale);
}
