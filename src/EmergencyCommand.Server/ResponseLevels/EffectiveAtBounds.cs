using EmergencyCommand.Server.Platform;
using NodaTime;

namespace EmergencyCommand.Server.ResponseLevels;

/// <summary>
/// How far from now a change may take effect (<c>ResponseLevels:</c> in configuration). A change dated years ahead
/// would stand in front of every later one; one dated long ago would rewrite what was in force when others decided.
/// </summary>
public sealed class EffectiveAtBounds
{
    public int PastHours { get; set; } = 24;
    public int FutureDays { get; set; } = 30;

    public FieldErrors Check(FieldErrors errors, Instant? effectiveAt, Instant now) =>
        errors.When(effectiveAt < now - Duration.FromHours(PastHours) || effectiveAt > now + Duration.FromDays(FutureDays), "effectiveAt",
            $"must lie between {PastHours} hours before now and {FutureDays} days after now");
}
