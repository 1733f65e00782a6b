using EmergencyCommand.Domain.Identity;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Marten;
using NodaTime;
using Wolverine.Http;

namespace EmergencyCommand.Server.Identity;

public sealed record UserView(
    string Username, string DisplayName, IReadOnlyList<Role> Roles, IReadOnlyList<string> Jurisdictions, bool Disabled, string? DisabledReason,
    Instant? LockedUntil, Instant RegisteredAt, Instant? PasswordChangedAt, long Version)
{
    public static UserView From(UserAccount u, long version) => new(u.Username, u.DisplayName, u.Roles, u.Jurisdictions, u.Disabled,
        u.DisabledReason, u.LockedUntil, u.RegisteredAt, u.PasswordChangedAt, version);
}

public static class UserQueries
{
    /// <summary>
    /// The users under the administrator's jurisdictions, by name, a page at a time (<c>offset</c>, <c>limit</c> up to
    /// 5,000, the default; the total in <c>X-Total-Count</c>): the area is filtered in the database before the page is cut.
    /// </summary>
    [WolverineGet("/api/users", OperationId = "ListUsers")]
    public static async Task<IReadOnlyList<UserView>> List(string? offset, string? limit, Reader reader, HttpResponse response, IQuerySession session,
        CancellationToken ct)
    {
        reader.Demand([Role.Administrator]);
        var page = Paging.Parse(offset, limit, 5000, furthest: 10_000_000);
        var query = reader.Scope.Filter(session.Query<UserAccount>(), u => u.Jurisdiction);
        Paging.Total(response, await query.CountAsync(ct));
        var users = await page.Of(query.OrderBy(u => u.Username)).ToListAsync(ct);
        var versions = await EventLog.Versions(session, users.Select(u => u.Id).ToList(), ct);
        return users.Select(u => UserView.From(u, versions.GetValueOrDefault(u.Id))).ToList();
    }

    /// <summary>A user: any user may read themself; an Administrator, the users under their jurisdiction.</summary>
    [WolverineGet("/api/users/{username}", OperationId = "GetUser")]
    public static async Task<UserView> Get(string username, Reader reader, IQuerySession session, CancellationToken ct)
    {
        var self = string.Equals(username, reader.Actor.UserName, StringComparison.OrdinalIgnoreCase);
        if (!self) reader.Demand([Role.Administrator]);
        if (Usernames.Problem(username) is not null) throw ProblemException.NotFound($"User {username}");
        var id = UserAccountProjection.StreamId(username);
        var user = await session.LoadAsync<UserAccount>(id, ct);
        if (user is null || !self && !reader.Sees(user.Jurisdiction)) throw ProblemException.NotFound($"User {username}");
        var versions = await EventLog.Versions(session, [id], ct);
        return UserView.From(user, versions.GetValueOrDefault(id));
    }
}
