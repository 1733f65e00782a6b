using EmergencyCommand.Domain.Identity;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.Identity;

public sealed record SetUserRoles(IReadOnlyList<Role>? Roles);

public sealed record AssignUserJurisdictions(IReadOnlyList<string>? Jurisdictions);

public sealed record DisableUser(string? Reason);

/// <summary>An Administrator changes what a user may do: roles, jurisdictions, disabled or not. Each is a decision on the user's stream.</summary>
public static class UserChanges
{
    public static readonly Role[] Administrators = [Role.Administrator];

    /// <summary>A user name that cannot exist is a 404 like an unknown one; a changed user is read afresh by the next request.</summary>
    public static async Task<Written> Change(string username, UserDirectory directory, Func<Task<Written>> change)
    {
        if (Usernames.Problem(username) is not null) throw ProblemException.NotFound($"User {username}");
        var written = await change();
        directory.Forget(username);
        return written;
    }
}

public static class SetUserRolesEndpoint
{
    public static ProblemDetails Validate(SetUserRoles? command) =>
        command is null ? FieldErrors.MissingBody() : new FieldErrors().Roles("roles", command.Roles).ToProblem();

    [WolverinePost("/api/users/{username}/roles", OperationId = "SetUserRoles")]
    public static Task<Written> SetRoles(string username, SetUserRoles command, CommandContext context, EventStreams streams, UserDirectory directory,
        CancellationToken ct) =>
        UserChanges.Change(username, directory, () => streams.Append<UserAccount>(context, UserAccountProjection.StreamId(username), UserChanges.Administrators,
            (user, now) => UserDecisions.SetRoles(user, command.Roles!, context.Actor, now), ct));

}

public static class AssignUserJurisdictionsEndpoint
{
    public static ProblemDetails Validate(AssignUserJurisdictions? command) =>
        command is null ? FieldErrors.MissingBody() : new FieldErrors().Jurisdictions("jurisdictions", command.Jurisdictions).ToProblem();

    [WolverinePost("/api/users/{username}/jurisdictions", OperationId = "AssignUserJurisdictions")]
    public static Task<Written> AssignJurisdictions(string username, AssignUserJurisdictions command, CommandContext context, EventStreams streams,
        UserDirectory directory, CancellationToken ct) =>
        UserChanges.Change(username, directory, () => streams.Append<UserAccount>(context, UserAccountProjection.StreamId(username), UserChanges.Administrators,
            (user, now) => UserDecisions.AssignJurisdictions(user, command.Jurisdictions!, context.Actor, now), ct));

}

public static class DisableUserEndpoint
{
    public static ProblemDetails Validate(DisableUser? command) =>
        command is null ? FieldErrors.MissingBody() : new FieldErrors().Require("reason", command.Reason).ToProblem();

    [WolverinePost("/api/users/{username}/disable", OperationId = "DisableUser")]
    public static Task<Written> Disable(string username, DisableUser command, CommandContext context, EventStreams streams, UserDirectory directory,
        CancellationToken ct) =>
        UserChanges.Change(username, directory, () => streams.Append<UserAccount>(context, UserAccountProjection.StreamId(username), UserChanges.Administrators,
            (user, now) => UserDecisions.Disable(user, command.Reason!.Trim(), context.Actor, now), ct));

}

public static class EnableUserEndpoint
{
    [WolverinePost("/api/users/{username}/enable", OperationId = "EnableUser")]
    public static Task<Written> Enable(string username, CommandContext context, EventStreams streams, UserDirectory directory, CancellationToken ct) =>
        UserChanges.Change(username, directory, () => streams.Append<UserAccount>(context, UserAccountProjection.StreamId(username), UserChanges.Administrators,
            (user, now) => UserDecisions.Enable(user, now), ct));
}
