using EmergencyCommand.Domain.Shared;

namespace EmergencyCommand.Server.Platform;

/// <summary>
/// Who reads, and what they may see: the jurisdictions' subtree of a user, everything for a reviewer or a user at
/// 000000. A single read out of scope answers 404, as if the thing did not exist; lists leave such things out.
/// </summary>
public sealed class Reader(Actor actor, Scope scope)
{
    public Actor Actor { get; } = actor;

    /// <summary>Everything this reader may see.</summary>
    public Scope Scope { get; } = scope;

    public static Reader From(HttpContext http)
    {
        var actor = http.User.ToActor() ?? throw new ProblemException(401, "Unauthorized", "Sign in first: POST /api/auth/token.");
        return For(actor);
    }

    /// <remarks>A checkpoint officer records checks and reads nothing else: with no other role, their scope is empty.</remarks>
    public static Reader For(Actor actor) => new(actor,
        actor.Has(Role.Reviewer) ? Scope.Nation
        : actor.Roles.All(r => r == Role.CheckpointOfficer) ? Scope.None
        : Scope.Of(actor.Jurisdictions));

    public bool Sees(string? jurisdiction) => Scope.Covers(jurisdiction);

    /// <summary>
    /// Whether something run from <paramref name="jurisdiction"/> concerns the reader: it lies within what they see, or
    /// above it and so over their area too (a national green channel crosses every province on its way).
    /// </summary>
    public bool Concerns(string jurisdiction) => Scope.Concerns(jurisdiction);

    /// <summary>The state, when the reader may see it; otherwise a 404 that says no more than an unknown id would.</summary>
    public T Visible<T>(T state, string what) where T : IJurisdictional =>
        Sees(state.Jurisdiction) ? state : throw ProblemException.NotFound(what);

    /// <summary><c>?jurisdiction=</c> within what the reader may see (everything they may see when none is given).</summary>
    public Scope Within(string? jurisdiction, string field = "jurisdiction") =>
        QueryValues.Jurisdiction(jurisdiction, field) is { } code ? Scope.Intersect(Platform.Scope.Of(code)) : Scope;

    /// <summary>403 unless the reader holds one of these roles.</summary>
    public void Demand(IReadOnlyCollection<Role> roles)
    {
        if (!roles.Any(Actor.Has))
            throw ProblemException.Forbidden($"This needs the role {string.Join(" or ", roles)}; {Actor.UserName} has {(Actor.Roles.Count == 0 ? "no role" : string.Join(", ", Actor.Roles))}.");
    }

    /// <summary>
    /// Drivers' names, number plates and reporters' contacts: for those whose work needs them — logistics coordinators,
    /// reviewers, and commanders of the jurisdiction.
    /// </summary>
    public bool SeesPersonalDataOf(string jurisdiction) =>
        Actor.Has(Role.LogisticsCoordinator) || Actor.Has(Role.Reviewer) || Actor.Has(Role.Commander) && Sees(jurisdiction);

    /// <summary>
    /// What happened to user accounts (<see cref="Identity.AccountFacts"/>): for administrators (over their area) and
    /// reviewers; a user reads their own account through <c>/api/users/{username}</c>.
    /// </summary>
    public bool SeesAccounts => Actor.Has(Role.Administrator) || Actor.Has(Role.Reviewer);

    /// <summary>What stands in for personal data the reader may not see.</summary>
    public const string Withheld = "(withheld)";

    /// <summary>The log itself (replay, audit, reviews of a jurisdiction): reviewers, administrators, and commanders for their own subtree.</summary>
    public static readonly Role[] Auditors = [Role.Reviewer, Role.Administrator, Role.Commander];
}
