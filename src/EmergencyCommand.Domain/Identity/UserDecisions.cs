using EmergencyCommand.Domain.Shared;
using NodaTime;

namespace EmergencyCommand.Domain.Identity;

/// <summary>
/// The directory's rules. Who may administer is checked before (an Administrator covering the user's jurisdictions);
/// these rules are about the user: names are taken once, a change must change something, an administrator cannot lock
/// themselves out, and nobody hands out jurisdictions they do not cover themselves, nor the Reviewer's national reading.
/// </summary>
public static class UserDecisions
{
    public static Decision Register(UserAccount? existing, string username, string displayName, IReadOnlyList<Role> roles,
        IReadOnlyList<string> jurisdictions, Actor by, Instant now)
    {
        if (existing is not null) return Decision.Reject("username-free", $"A user named '{username}' is already registered.");
        if (Uncovered(by, jurisdictions) is { } refusal) return refusal;
        if (roles.Contains(Role.Reviewer) && NationalReading(by) is { } reading) return reading;
        return Decision.Accept(new UserRegistered(username, displayName, Distinct(roles), jurisdictions.Distinct().ToList(), now));
    }

    /// <summary>The user holds exactly <paramref name="roles"/> afterwards: what is new is granted, what is gone revoked.</summary>
    public static Decision SetRoles(UserAccount user, IReadOnlyList<Role> roles, Actor by, Instant now)
    {
        var granted = Distinct(roles).Except(user.Roles).ToList();
        var revoked = user.Roles.Except(roles).ToList();
        if (granted.Count == 0 && revoked.Count == 0)
            return Decision.Reject("roles-change", $"{user.Username} already holds exactly {string.Join(", ", user.Roles)}.");
        if (granted.Contains(Role.Reviewer) && NationalReading(by) is { } reading) return reading;
        if (IsSelf(user, by) && revoked.Contains(Role.Administrator))
            return Decision.Reject("keep-own-administration", "An administrator cannot revoke their own Administrator role; another administrator can.");
        var events = new List<object>();
        if (granted.Count > 0) events.Add(new RolesGranted(user.Username, granted, now));
        if (revoked.Count > 0) events.Add(new RolesRevoked(user.Username, revoked, now));
        return Decision.Accept(events.ToArray());
    }

    public static Decision AssignJurisdictions(UserAccount user, IReadOnlyList<string> jurisdictions, Actor by, Instant now)
    {
        var assigned = jurisdictions.Distinct().ToList();
        if (assigned.Order(StringComparer.Ordinal).SequenceEqual(user.Jurisdictions.Order(StringComparer.Ordinal)))
            return Decision.Reject("jurisdictions-change", $"{user.Username} already acts over exactly {string.Join(", ", user.Jurisdictions)}.");
        return Uncovered(by, assigned) ?? Decision.Accept(new JurisdictionsAssigned(user.Username, assigned, now));
    }

    public static Decision Disable(UserAccount user, string reason, Actor by, Instant now) =>
        user.Disabled ? Decision.Reject("disable-once", $"{user.Username} is already disabled.")
        : IsSelf(user, by) ? Decision.Reject("disable-self", "An administrator cannot disable themselves; another administrator can.")
        : Decision.Accept(new UserDisabled(user.Username, reason, now));

    public static Decision Enable(UserAccount user, Instant now) => user.Disabled
        ? Decision.Accept(new UserEnabled(user.Username, now))
        : Decision.Reject("enable-disabled", $"{user.Username} is not disabled.");

    /// <summary>The user changes their own password (having proved the current one), or an administrator sets it.</summary>
    public static Decision ChangePassword(UserAccount user, Actor by, Instant now) =>
        IsSelf(user, by) || by.Has(Role.Administrator)
            ? Decision.Accept(new PasswordChanged(user.Username, now))
            : Decision.Forbid("own-password", $"{by.UserName} may change only their own password.");

    public static Decision LockOut(UserAccount user, int failures, Instant until, Instant now) =>
        user.LockedUntil >= until ? Decision.Accept() : Decision.Accept(new UserLockedOut(user.Username, failures, until, now));

    /// <summary>A reviewer reads the whole nation, whatever their jurisdictions: only who covers the nation hands that out.</summary>
    private static Decision? NationalReading(Actor by) => by.Covers(Jurisdictions.Nation)
        ? null
        : Decision.Forbid("grant-reviewer", $"A Reviewer reads every jurisdiction; {by.UserName}'s ({string.Join(", ", by.Jurisdictions)}) does not cover the nation.");

    private static bool IsSelf(UserAccount user, Actor by) => string.Equals(user.Username, by.UserName, StringComparison.OrdinalIgnoreCase);

    private static List<Role> Distinct(IEnumerable<Role> roles) => roles.Distinct().Order().ToList();

    private static Decision? Uncovered(Actor by, IEnumerable<string> jurisdictions) =>
        jurisdictions.FirstOrDefault(j => !by.Covers(j)) is { } outside
            ? Decision.Forbid("administer-within", $"{by.UserName}'s jurisdiction ({string.Join(", ", by.Jurisdictions)}) does not cover {outside}.")
            : null;
}
