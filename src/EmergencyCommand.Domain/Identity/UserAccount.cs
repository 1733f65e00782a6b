using EmergencyCommand.Domain.Shared;
using NodaTime;

namespace EmergencyCommand.Domain.Identity;

/// <summary>A person who may sign in, as the directory's events left them. Built only by <see cref="Evolve"/>.</summary>
/// <param name="SignInsEnded">
/// How many times every sign-in of the user was ended at once: each password change and each disabling. A sign-in carries
/// the number it began under and holds only while the number is unchanged, so a changed password cuts off whoever held
/// the old one, and enabling a user again does not bring their old sessions back.
/// </param>
public sealed record UserAccount(
    Guid Id, string Username, string DisplayName, IReadOnlyList<Role> Roles, IReadOnlyList<string> Jurisdictions, bool Disabled,
    string? DisabledReason, Instant? LockedUntil, Instant RegisteredAt, Instant? PasswordChangedAt, int SignInsEnded = 0) : IJurisdictional
{
    /// <summary>The most local jurisdiction covering all of the user's: who administers the user must cover it.</summary>
    public string Jurisdiction => Shared.Jurisdictions.CommonRoot(Jurisdictions);

    public Actor AsActor() => new(Username, Roles, Jurisdictions);

    public static UserAccount? Evolve(UserAccount? state, object @event) => (state, @event) switch
    {
        (null, UserRegistered e) => new UserAccount(Guid.Empty, e.Username, e.DisplayName, e.Roles, e.Jurisdictions, false, null, null,
            e.RegisteredAt, null),
        (null, _) => null,
        (_, RolesGranted e) => state with { Roles = state.Roles.Union(e.Roles).ToList() },
        (_, RolesRevoked e) => state with { Roles = state.Roles.Except(e.Roles).ToList() },
        (_, JurisdictionsAssigned e) => state with { Jurisdictions = e.Jurisdictions },
        (_, UserDisabled e) => state with { Disabled = true, DisabledReason = e.Reason, SignInsEnded = state.SignInsEnded + 1 },
        (_, UserEnabled) => state with { Disabled = false, DisabledReason = null, LockedUntil = null },
        (_, PasswordChanged e) => state with { PasswordChangedAt = e.ChangedAt, LockedUntil = null, SignInsEnded = state.SignInsEnded + 1 },
        (_, UserLockedOut e) => state with { LockedUntil = e.Until },
        _ => state,
    };

    public static UserAccount? Replay(IEnumerable<object> events) => events.Aggregate((UserAccount?)null, Evolve);
}

/// <summary>What makes a user name: 3 to 64 of a–z, 0–9, '.', '_' and '-', kept in lower case.</summary>
public static class Usernames
{
    public static string? Problem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "is required"
        : name.Trim().Length is < 3 or > 64 ? "must be 3 to 64 characters"
        : name.Trim().ToLowerInvariant().All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_' or '-') ? null
        : "may hold only letters a–z, digits, '.', '_' and '-'";

    public static string Normalize(string name) => name.Trim().ToLowerInvariant();
}
