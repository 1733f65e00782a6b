using EmergencyCommand.Domain.Supplies;
using EmergencyCommand.Server.Platform;

namespace EmergencyCommand.Server.Supplies;

public static class SupplyLines
{
    /// <summary>Validated lines (see <see cref="LineInputs.Lines"/>) as the domain's supply lines.</summary>
    public static IReadOnlyList<SupplyLine> ToLines(this IReadOnlyList<LineInput> lines) =>
        lines.Select(l => new SupplyLine(l.Item!.Trim(), l.Quantity!.Value)).ToList();
}
