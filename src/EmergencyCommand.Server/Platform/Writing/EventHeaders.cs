namespace EmergencyCommand.Server.Platform;

/// <summary>Metadata every appended event carries, read back by the decision log and the audit views.</summary>
public static class EventHeaders
{
    public const string Roles = "roles";
    public const string Jurisdictions = "jurisdictions";
    /// <summary>The jurisdiction the command acted on.</summary>
    public const string Jurisdiction = "jurisdiction";
    /// <summary>One id per accepted command, shared by all the events it produced.</summary>
    public const string Decision = "decision";
    /// <summary>The stream the command was about (the one its route names), among the streams it changed.</summary>
    public const string Subject = "subject";
}

/// <summary>What a write answers: the stream and its version after the write.</summary>
public sealed record Written(Guid Id, long Version);
