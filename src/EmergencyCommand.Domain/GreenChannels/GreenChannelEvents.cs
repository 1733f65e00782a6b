using EmergencyCommand.Domain.Supplies;
using NodaTime;

namespace EmergencyCommand.Domain.GreenChannels;

public sealed record Checkpoint(string Code, string Name);

public enum CheckRefusal { UnknownPass, Revoked, Expired, ChannelDisrupted, ChannelClosed, UnknownCheckpoint }

// The channel's own stream: small, because checkpoint checks go to their own streams (see CheckpointLog).
public sealed record GreenChannelOpened(
    Guid ChannelId, string Name, string Origin, string Destination, IReadOnlyList<Checkpoint> Checkpoints,
    Instant ValidFrom, Instant ValidUntil, IReadOnlyList<string> Cargo, string Jurisdiction, Instant OpenedAt);

public sealed record PassIssued(
    Guid ChannelId, Guid PassId, string PassCode, string VehiclePlate, string Driver, IReadOnlyList<string> Cargo,
    Instant ValidUntil, Instant IssuedAt);

public sealed record PassRevoked(Guid ChannelId, Guid PassId, string Reason, Instant RevokedAt);

public sealed record ChannelDisrupted(Guid ChannelId, string Reason, Instant DisruptedAt);

public sealed record ChannelRestored(Guid ChannelId, Instant RestoredAt);

public sealed record ChannelClosed(Guid ChannelId, string Reason, Instant ClosedAt);

/// <summary>Every check at a checkpoint, admitted or refused: refusals are evidence too.</summary>
public sealed record CheckpointChecked(
    Guid ChannelId, string CheckpointCode, string PresentedCode, Guid? PassId, bool Admitted, CheckRefusal? Reason, Instant CheckedAt);

// Shipments: an allocation carried along a channel under a pass, ending in a receipt.
public sealed record ShipmentDispatched(
    Guid ShipmentId, Guid AllocationId, Guid RequestId, Guid DepotId, Guid ChannelId, Guid PassId, IReadOnlyList<SupplyLine> Lines,
    string Jurisdiction, Instant DispatchedAt);

public sealed record ShipmentDelivered(
    Guid ShipmentId, IReadOnlyList<SupplyLine> Received, IReadOnlyList<SupplyLine> Shortfall, string? ReceivedBy, Instant DeliveredAt);
