using EmergencyCommand.Domain.Shared;
using NodaTime;

namespace EmergencyCommand.Domain.GreenChannels;

/// <param name="Kilometre">Where the checkpoint lies along the corridor, when known: how fast a vehicle could get from one to another.</param>
public sealed record Checkpoint(string Code, string Name, double? Kilometre = null);

public enum CheckRefusal { UnknownPass, Revoked, Expired, ChannelDisrupted, ChannelClosed, UnknownCheckpoint, PlateMismatch, DuplicateUse, ChannelNotYetValid }

/// <summary>A fact on a green channel's own stream.</summary>
public interface IGreenChannelEvent : IDomainEvent
{
    Guid ChannelId { get; }
}

// The channel's own stream: small, because checkpoint checks go to their own streams (one per channel and day).
public sealed record GreenChannelOpened(
    Guid ChannelId, string Name, string Origin, string Destination, IReadOnlyList<Checkpoint> Checkpoints,
    Instant ValidFrom, Instant ValidUntil, IReadOnlyList<string> Cargo, string Jurisdiction, Instant OpenedAt) : IGreenChannelEvent;

/// <summary>A vehicle pass. Its code is handed over once, to whoever issued it; the log keeps only a keyed hash of it.</summary>
/// <param name="PassCode">
/// Only in passes issued before codes were hashed: such events stay as written (the log is append-only and chained), so
/// the field stays, nullable, for them to read back and check; every read of the raw log masks it. New passes leave it null.
/// </param>
/// <param name="PassCodeHash">HMAC-SHA256 of the normalized code under the server's pass code key (hex); null in the older passes.</param>
public sealed record PassIssued(
    Guid ChannelId, Guid PassId, string? PassCode, string VehiclePlate, string Driver, IReadOnlyList<string> Cargo,
    Instant ValidUntil, Instant IssuedAt, string? PassCodeHash = null) : IGreenChannelEvent;

public sealed record PassRevoked(Guid ChannelId, Guid PassId, string Reason, Instant RevokedAt) : IGreenChannelEvent;

public sealed record ChannelDisrupted(Guid ChannelId, string Reason, Instant DisruptedAt) : IGreenChannelEvent;

public sealed record ChannelRestored(Guid ChannelId, Instant RestoredAt) : IGreenChannelEvent;

public sealed record ChannelClosed(Guid ChannelId, string Reason, Instant ClosedAt) : IGreenChannelEvent;

/// <summary>Every check at a checkpoint, admitted or refused: refusals are evidence too.</summary>
/// <remarks>
/// What was presented is kept only as its last four symbols, never whole: a recorded valid code would admit whoever read
/// it. Older checks stored the whole presented code as <c>presentedCode</c>; that JSON still reads back (the property is
/// simply not bound any more, and their <see cref="PresentedCodeEnding"/> is null), and every read of the raw log masks it.
/// </remarks>
/// <param name="PresentedPlate">The plate the officer saw, normalized; null in the older checks.</param>
public sealed record CheckpointChecked(
    Guid ChannelId, string CheckpointCode, string? PresentedCodeEnding, string? PresentedPlate, Guid? PassId, bool Admitted,
    CheckRefusal? Reason, Instant CheckedAt) : IDomainEvent;
