using EmergencyCommand.Domain.Identity;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.Identity;

public sealed record ChangePassword(string? CurrentPassword, string? NewPassword);

public static class ChangePasswordEndpoint
{
    public static ProblemDetails Validate(string username, ChangePassword? command, Passwords passwords) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors()
            .Optional("currentPassword", command.CurrentPassword, 200)
            .Problem("newPassword", passwords.Problem(command.NewPassword, username))
            .ToProblem();

    /// <summary>
    /// The user themself, proving the current password, or an Administrator covering the user. The new hash is stored
    /// beside the log in the same commit as the fact that the password changed.
    /// </summary>
    private const string CurrentPasswordNeeded = "To change your own password, give your current password (currentPassword).";

    [WolverinePost("/api/users/{username}/password", OperationId = "ChangePassword")]
    public static async Task<Written> Post(string username, ChangePassword command, CommandContext context, EventStreams streams, Passwords passwords,
        UserDirectory directory, SignInCheck signIn, HttpContext http, CancellationToken ct)
    {
        if (Usernames.Problem(username) is not null) throw ProblemException.NotFound($"User {username}");
        var id = UserAccountProjection.StreamId(username);
        var self = string.Equals(Usernames.Normalize(username), context.Actor.UserName, StringComparison.OrdinalIgnoreCase);
        if (self)
        {
            // The current password is checked as a sign-in is: a wrong one counts towards the lock-out, so a stolen
            // session cannot guess it.
            if (command.CurrentPassword is null) throw ProblemException.Forbidden(CurrentPasswordNeeded);
            try
            {
                await signIn.Verify(username, command.CurrentPassword, http, ct);
            }
            catch (ProblemException wrong) when (wrong.Status == StatusCodes.Status401Unauthorized)
            {
                throw ProblemException.Forbidden(CurrentPasswordNeeded);
            }
        }
        var newHash = passwords.Hash(command.NewPassword!);
        var written = await streams.TransactDecidingWhoMay(context, id, async tx =>
        {
            var user = await tx.Lock<UserAccount>(id);
            if (!self && Access.Refusal(context.Actor, [Role.Administrator], user.Jurisdiction) is { } refusal)
                throw ProblemException.Forbidden(refusal);
            tx.Apply(UserDecisions.ChangePassword(user, context.Actor, tx.Now), _ => id);
            tx.Store(new Credential { Id = id, Hash = newHash });
            return new Written(id, tx.VersionAfter(id));
        }, ct);
        directory.Forget(username);
        return written;
    }
}
