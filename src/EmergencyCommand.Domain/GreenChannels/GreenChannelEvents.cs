using EmergencyCommand.Domain.Shared;
using NodaTime;

namespace EmergencyCommand.Domain.GreenChannels;

public sealed record Checkpoint(string Code, string Name);

public enum CheckRefusal { UnknownPass, Revoked, Expired, ChannelDisrupted, ChannelClosed, UnknownCheckpoint }

/// <summary>A fact on a green channel's own stream.</summary>
public interface IGreenChannelEvent : IDomainEvent
{
    Guid ChannelId { get; }
}

// The channel's own stream: small, because checkpoint checks go to their own streams (one per channel and day).
public sealed record GreenChannelOpened(
    Guid ChannelId, string Name, string Origin, string Destination, IReadOnlyList<Checkpoint> Checkpoints,
    Instant ValidFrom, Instant ValidUntil, IReadOnlyList<string> Cargo, string Jurisdiction, Instant OpenedAt) : IGreenChannelEvent;

public sealed record PassIssued(
    Guid ChannelId, Guid PassId, string PassCode, string VehiclePlate, string Driver, IReadOnlyList<string> Cargo,
    Instant ValidUntil, Instant IssuedAt) : IGreenChannelEvent;

public sealed record PassRevoked(Guid ChannelId, Guid PassId, string Reason, Instant RevokedAt) : IGreenChannelEvent;

public sealed record ChannelDisrupted(Guid ChannelId, string Reason, Instant DisruptedAt) : IGreenChannelEvent;

public sealed record ChannelRestored(Guid ChannelId, Instant RestoredAt) : IGreenChannelEvent;

public sealed record ChannelClosed(Guid ChannelId, string Reason, Instant ClosedAt) : IGreenChannelEvent;

/// <summary>Every check at a checkpoint, admitted or refused: refusals are evidence too.</summary>
public sealed record CheckpointChecked(
    Guid ChannelId, string CheckpointCode, string PresentedCode, Guid? PassId, bool Admitted, CheckRefusal? Reason, Instant CheckedAt) : IDomainEvent;
