using EmergencyCommand.Domain.Shared;

namespace EmergencyCommand.Domain.ResponseLevels;

/// <summary>Each level decision in one sentence, with the commander's rationale.</summary>
public static class ResponseLevelNarrative
{
    public static readonly Narrative Facts = new Narrative()
        .On<ResponseLevelDeclared>(l => $"Level {l.Level} declared for {l.Jurisdiction}, effective {CommandTime.Said(l.EffectiveAt)}",
            (l, _) => $"{Narrative.PlaceZh(l.Jurisdiction)} 启动{Roman(l.Level)}级应急响应，{CommandTime.Said(l.EffectiveAt)} 生效", l => l.Rationale)
        .On<ResponseLevelEscalated>(l => $"{l.Jurisdiction} escalated {l.From} → {l.To}, effective {CommandTime.Said(l.EffectiveAt)}",
            (l, _) => $"{Narrative.PlaceZh(l.Jurisdiction)} 应急响应由{Roman(l.From)}级提升至{Roman(l.To)}级，{CommandTime.Said(l.EffectiveAt)} 生效", l => l.Rationale)
        .On<ResponseLevelDeescalated>(l => $"{l.Jurisdiction} de-escalated {l.From} → {l.To}, effective {CommandTime.Said(l.EffectiveAt)}",
            (l, _) => $"{Narrative.PlaceZh(l.Jurisdiction)} 应急响应由{Roman(l.From)}级降为{Roman(l.To)}级，{CommandTime.Said(l.EffectiveAt)} 生效", l => l.Rationale)
        .On<ResponseLevelTerminated>(l => $"Response in {l.Jurisdiction} terminated (was {l.From}), effective {CommandTime.Said(l.EffectiveAt)}",
            (l, _) => $"{Narrative.PlaceZh(l.Jurisdiction)} 终止{Roman(l.From)}级应急响应，{CommandTime.Said(l.EffectiveAt)} 生效", l => l.Rationale)
        .On<ScheduledChangeSuperseded>(l => $"The change to {l.Jurisdiction} that {l.ScheduledBy} scheduled for {CommandTime.Said(l.ScheduledFor)} superseded",
            (l, _) => $"{l.ScheduledBy} 为 {Narrative.PlaceZh(l.Jurisdiction)} 预定于 {CommandTime.Said(l.ScheduledFor)} 生效的应急响应调整已撤销", l => l.Rationale);

    /// <summary>Ⅰ–Ⅳ, as levels are written in Chinese.</summary>
    public static string Roman(ResponseLevel level) => level switch
    {
        ResponseLevel.I => "Ⅰ", ResponseLevel.II => "Ⅱ", ResponseLevel.III => "Ⅲ", ResponseLevel.IV => "Ⅳ", _ => level.ToString(),
    };
}
