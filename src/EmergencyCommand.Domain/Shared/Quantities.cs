namespace EmergencyCommand.Domain.Shared;

/// <summary>
/// The bounds on quantities: no line moves more than a billion units, and no depot holds more than a million billion
/// of one item, so that every sum the board and the plan make over depots and requests stays far inside a long.
/// </summary>
public static class Quantities
{
    public const long MaxPerLine = 1_000_000_000;
    public const long MaxOnHand = 1_000_000_000_000_000;
}
