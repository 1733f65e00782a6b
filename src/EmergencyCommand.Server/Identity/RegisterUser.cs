using EmergencyCommand.Domain.Identity;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.Identity;

public sealed record RegisterUser(string? Username, string? DisplayName, string? Password, IReadOnlyList<Role>? Roles, IReadOnlyList<string>? Jurisdictions);

public static class RegisterUserEndpoint
{
    public static ProblemDetails Validate(RegisterUser? command, Passwords passwords) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors()
            .Problem("username", Usernames.Problem(command.Username))
            .Require("displayName", command.DisplayName, 200)
            .Problem("password", passwords.Problem(command.Password, command.Username ?? ""))
            .Roles("roles", command.Roles)
            .Jurisdictions("jurisdictions", command.Jurisdictions)
            .ToProblem();

    /// <summary>An Administrator registers a user over jurisdictions they cover themselves; the name is taken once.</summary>
    [WolverinePost("/api/users", OperationId = "RegisterUser")]
    public static async Task<Created> Post(RegisterUser command, CommandContext context, EventStreams streams, Passwords passwords,
        UserDirectory directory, CancellationToken ct)
    {
        var username = Usernames.Normalize(command.Username!);
        var written = await Registration.Register(streams, context, [Role.Administrator], username, command.DisplayName!.Trim(),
            passwords.Hash(command.Password!), command.Roles!, command.Jurisdictions!, ct);
        directory.Forget(username);
        return Created.At($"/api/users/{username}", written);
    }
}

/// <summary>Registering a user: the same command for an administrator's request and for the users configured at start-up.</summary>
public static class Registration
{
    public static Task<Written> Register(EventStreams streams, CommandContext context, IReadOnlyCollection<Role> allowed, string username,
        string displayName, string passwordHash, IReadOnlyList<Role> roles, IReadOnlyList<string> jurisdictions, CancellationToken ct)
    {
        var id = UserAccountProjection.StreamId(username);
        return streams.Transact(context, id, allowed, async tx =>
        {
            var existing = await tx.LockIfExists<UserAccount>(id);
            tx.ActingOn(Jurisdictions.CommonRoot(jurisdictions));
            tx.Apply(UserDecisions.Register(existing, username, displayName, roles, jurisdictions, context.Actor, tx.Now), _ => id);
            tx.Store(new Credential { Id = id, Hash = passwordHash });
            return new Written(id, tx.VersionAfter(id));
        }, ct);
    }
}

public static class DirectoryInput
{
    /// <summary>At least one role a person can hold (the server's own System role is never given).</summary>
    public static FieldErrors Roles(this FieldErrors errors, string field, IReadOnlyList<Role>? roles) =>
        roles is null || roles.Count == 0 ? errors.Add(field, "name at least one role")
        : roles.Any(r => r == Role.System || !Enum.IsDefined(r)) ? errors.Add(field, "System is the server's own role, never a person's")
        : errors;

    public static FieldErrors Jurisdictions(this FieldErrors errors, string field, IReadOnlyList<string>? codes)
    {
        if (codes is null || codes.Count == 0) return errors.Add(field, "name at least one jurisdiction");
        if (codes.Count > 50) return errors.Add(field, "at most 50 jurisdictions");
        for (var i = 0; i < codes.Count; i++) errors.Jurisdiction($"{field}[{i}]", codes[i]);
        return errors;
    }
}
