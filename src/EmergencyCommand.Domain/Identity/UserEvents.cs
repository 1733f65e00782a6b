using EmergencyCommand.Domain.Shared;
using NodaTime;

namespace EmergencyCommand.Domain.Identity;

/// <summary>A fact on a user's stream in the directory. Passwords are never facts: their hashes are kept beside the log, not in it.</summary>
public interface IUserEvent : IDomainEvent
{
    string Username { get; }
}

public sealed record UserRegistered(
    string Username, string DisplayName, IReadOnlyList<Role> Roles, IReadOnlyList<string> Jurisdictions, Instant RegisteredAt) : IUserEvent;

public sealed record RolesGranted(string Username, IReadOnlyList<Role> Roles, Instant GrantedAt) : IUserEvent;

public sealed record RolesRevoked(string Username, IReadOnlyList<Role> Roles, Instant RevokedAt) : IUserEvent;

/// <summary>The user now acts over exactly these jurisdictions (and what they cover).</summary>
public sealed record JurisdictionsAssigned(string Username, IReadOnlyList<string> Jurisdictions, Instant AssignedAt) : IUserEvent;

public sealed record UserDisabled(string Username, string Reason, Instant DisabledAt) : IUserEvent;

public sealed record UserEnabled(string Username, Instant EnabledAt) : IUserEvent;

/// <summary>The password was replaced (by the user, or by an administrator); the new hash is not part of the fact.</summary>
public sealed record PasswordChanged(string Username, Instant ChangedAt) : IUserEvent;

/// <summary>Too many wrong passwords in a row: sign-in is refused until <c>Until</c>.</summary>
public sealed record UserLockedOut(string Username, int Failures, Instant Until, Instant LockedAt) : IUserEvent;
