using EmergencyCommand.Domain.Shared;

namespace EmergencyCommand.Domain.Identity;

public static class UserNarrative
{
    public static readonly Narrative Facts = new Narrative()
        .On<UserRegistered>(e => $"User {e.Username} ({e.DisplayName}) registered as {string.Join(", ", e.Roles)} over {string.Join(", ", e.Jurisdictions)}")
        .On<RolesGranted>(e => $"{e.Username} granted {string.Join(", ", e.Roles)}")
        .On<RolesRevoked>(e => $"{e.Username} no longer {string.Join(", ", e.Roles)}")
        .On<JurisdictionsAssigned>(e => $"{e.Username} now acts over {string.Join(", ", e.Jurisdictions)}")
        .On<UserDisabled>(e => Narrative.Join($"{e.Username} disabled", e.Reason), e => e.Reason)
        .On<UserEnabled>(e => $"{e.Username} enabled")
        .On<PasswordChanged>(e => $"{e.Username}'s password changed")
        .On<UserLockedOut>(e => $"{e.Username} locked out until {CommandTime.Said(e.Until)} after {e.Failures} wrong passwords");
}
