namespace EmergencyCommand.Domain.Shared;

/// <summary>Anything whose commands are bounded by a jurisdiction.</summary>
public interface IJurisdictional
{
    string Jurisdiction { get; }
}

/// <summary>
/// The one authorization rule every write goes through: the actor holds one of the allowed roles,
/// and one of the actor's jurisdictions covers the target. Reviewers never write.
/// </summary>
public static class Access
{
    /// <summary>Null when allowed; otherwise why not (the API answers 403).</summary>
    public static string? Refusal(Actor actor, IReadOnlyCollection<Role> allowed, string? jurisdiction)
    {
        if (!actor.HasAny(allowed.Where(r => r != Role.Reviewer)))
            return $"This needs the role {string.Join(" or ", allowed)}; {actor.UserName} has {Describe(actor.Roles)}.";
        if (jurisdiction is not null && !actor.Covers(jurisdiction))
            return $"{actor.UserName}'s jurisdiction ({string.Join(", ", actor.Jurisdictions)}) does not cover {jurisdiction}.";
        return null;
    }

    private static string Describe(IReadOnlyList<Role> roles) => roles.Count == 0 ? "no role" : string.Join(", ", roles);
}
