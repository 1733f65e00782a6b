namespace EmergencyCommand.Domain.Shared;

public enum Role
{
    Commander, LogisticsCoordinator, FieldReporter, Responder, Reviewer,
    /// <summary>Keeps the user directory: registers users, grants roles, assigns jurisdictions, disables and enables.</summary>
    Administrator,
    /// <summary>Checks vehicle passes at a green channel's checkpoint; reads nothing else.</summary>
    CheckpointOfficer,
    /// <summary>The server itself acting on a timer (deadlines). Never given to a user.</summary>
    System,
}

/// <summary>Who issues a command: a signed-in user with roles over some jurisdictions.</summary>
public sealed record Actor(string UserName, IReadOnlyList<Role> Roles, IReadOnlyList<string> Jurisdictions)
{
    public bool Has(Role role) => Roles.Contains(role);
    public bool HasAny(IEnumerable<Role> roles) => roles.Any(Roles.Contains);
    public bool Covers(string jurisdiction) => Jurisdictions.Any(j => Shared.Jurisdictions.Covers(j, jurisdiction));

    /// <summary>The highest level among the user's jurisdictions that cover <paramref name="jurisdiction"/>.</summary>
    public JurisdictionLevel? HighestLevelCovering(string jurisdiction) =>
        Jurisdictions.Where(j => Shared.Jurisdictions.Covers(j, jurisdiction))
            .Select(Shared.Jurisdictions.LevelOf)
            .OrderBy(l => l)
            .Select(l => (JurisdictionLevel?)l)
            .FirstOrDefault();

    /// <summary>The server acting on its own: deadlines that pass, escalations they raise.</summary>
    public static readonly Actor Server = new("system", [Role.System], [Shared.Jurisdictions.Nation]);

    /// <summary>Commands from commanders, logistics coordinators and administrators are decisions, and are logged as such.</summary>
    public bool MakesDecisions => Has(Role.Commander) || Has(Role.LogisticsCoordinator) || Has(Role.Administrator);
}
