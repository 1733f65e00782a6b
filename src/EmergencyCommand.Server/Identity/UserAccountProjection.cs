using EmergencyCommand.Domain.Identity;
using EmergencyCommand.Server.Platform;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace EmergencyCommand.Server.Identity;

/// <summary>Each user as a document, kept inline with their stream by the domain's Evolve; the directory reads these.</summary>
public sealed partial class UserAccountProjection : SingleStreamProjection<UserAccount, Guid>
{
    public UserAccountProjection() => this.IncludeFactsOf<IUserEvent>();

    public override UserAccount? Evolve(UserAccount? snapshot, Guid id, IEvent e) =>
        UserAccount.Evolve(snapshot, e.Data) is { } state ? state with { Id = id } : null;

    /// <summary>One stream per user name: the same name is always the same stream, so it can be taken only once.</summary>
    public static Guid StreamId(string username) => StreamIds.Named("user:" + Usernames.Normalize(username));
}

/// <summary>
/// A user's password hash, kept beside the log and never in it (the log is replayed and exported to reviewers); written
/// in the same transaction as the fact that sets it.
/// </summary>
public sealed class Credential
{
    public Guid Id { get; set; }
    public string Hash { get; set; } = "";
}
