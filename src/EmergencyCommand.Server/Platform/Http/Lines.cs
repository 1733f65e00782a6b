namespace EmergencyCommand.Server.Platform;

/// <summary>One line of goods as a request sends it: an item and a whole quantity.</summary>
public sealed record LineInput(string? Item, long? Quantity);

public static class LineInputs
{
    /// <summary>Lines must name an item once each, in whole units above zero.</summary>
    public static FieldErrors Lines(this FieldErrors errors, IReadOnlyList<LineInput>? lines)
    {
        if (lines is null || lines.Count == 0) return errors.Add("lines", "at least one line is required");
        if (lines.Count > 200) return errors.Add("lines", "at most 200 lines");
        for (var i = 0; i < lines.Count; i++)
        {
            errors.Require($"lines[{i}].item", lines[i]?.Item, 200);
            errors.Quantity($"lines[{i}].quantity", lines[i]?.Quantity);
        }
        var duplicates = lines.Where(l => l?.Item is not null).GroupBy(l => l.Item!.Trim()).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0) errors.Add("lines", $"each item once per request: {string.Join(", ", duplicates)}");
        return errors;
    }
}
