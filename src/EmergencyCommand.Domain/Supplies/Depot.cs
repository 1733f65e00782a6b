using System.Collections.Immutable;
using EmergencyCommand.Domain.Shared;

namespace EmergencyCommand.Domain.Supplies;

public sealed record ItemStock(string Item, long OnHand, long Reserved)
{
    public long Available => OnHand - Reserved;
}

/// <summary>
/// A depot's stock as its events left it: on hand and reserved per item, nothing more. Which lines each reservation
/// holds is kept by the allocation on its supply request (and repeated in the release and delivery events), so this
/// document, which every allocation against the depot loads and rewrites under the depot's lock, stays small however
/// many allocations are open.
/// </summary>
/// <remarks>
/// Items are told apart by their exact names, however the depot was built. The stock is a hash dictionary, whose keys
/// compare ordinally also when a serializer rebuilds it from the document: a sorted one is rebuilt with the culture's
/// comparer, under which names differing only by an ignorable character (a soft hyphen) are one item, so a document
/// holding both failed to load at all, while a replay of the same events keeps them apart. Views sort by name.
/// </remarks>
public sealed record Depot(Guid Id, string Name, string Jurisdiction, ImmutableDictionary<string, ItemStock> Stock) : IJurisdictional
{
    public long Available(string item) => Stock.TryGetValue(item, out var s) ? s.Available : 0;

    public static Depot? Evolve(Depot? state, object @event) => (state, @event) switch
    {
        (null, DepotRegistered e) => new Depot(e.DepotId, e.Name, e.Jurisdiction, ImmutableDictionary.Create<string, ItemStock>(StringComparer.Ordinal)),
        (null, _) => null,
        (_, StockReceived e) => state.Change(e.Item, onHand: e.Quantity, reserved: 0),
        (_, StockReserved e) => e.Lines.Aggregate(state, (d, l) => d.Change(l.Item, 0, l.Quantity)),
        (_, ReservationReleased e) => e.Lines.Aggregate(state, (d, l) => d.Change(l.Item, 0, -l.Quantity)),
        (_, StockDelivered e) => e.Lines.Aggregate(state, (d, l) => d.Change(l.Item, -l.Quantity, -l.Quantity)),
        _ => state,
    };

    public static Depot? Replay(IEnumerable<object> events) => events.Aggregate((Depot?)null, Evolve);

    private Depot Change(string item, long onHand, long reserved)
    {
        var current = Stock.GetValueOrDefault(item) ?? new ItemStock(item, 0, 0);
        return this with { Stock = Stock.SetItem(item, current with { OnHand = current.OnHand + onHand, Reserved = current.Reserved + reserved }) };
    }
}
