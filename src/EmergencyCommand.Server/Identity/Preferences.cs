using EmergencyCommand.Server.Platform;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EmergencyCommand.Server.Identity;

/// <summary>How a user likes the console (its language), remembered per user: a setting, not a fact of the log.</summary>
public sealed class UserPreferences
{
    public string Id { get; set; } = "";
    public string Language { get; set; } = "zh";
}

public sealed record SetPreferences(string? Language);

public static class PreferencesEndpoints
{
    public static readonly string[] Languages = ["zh", "en"];

    [WolverineGet("/api/me/preferences", OperationId = "GetPreferences")]
    public static async Task<UserPreferences> Get(Reader reader, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<UserPreferences>(reader.Actor.UserName, ct) ?? new UserPreferences { Id = reader.Actor.UserName };
}

public static class SetPreferencesEndpoint
{
    public static ProblemDetails Validate(SetPreferences? command) => command is null
        ? FieldErrors.MissingBody()
        : new FieldErrors().When(!PreferencesEndpoints.Languages.Contains(command.Language), "language", "must be zh or en").ToProblem();

    [WolverinePost("/api/me/preferences", OperationId = "SetPreferences")]
    public static async Task<UserPreferences> Post(SetPreferences command, Reader reader, IDocumentStore store, CancellationToken ct)
    {
        var preferences = new UserPreferences { Id = reader.Actor.UserName, Language = command.Language! };
        await using var session = store.LightweightSession();
        session.Store(preferences);
        await session.SaveChangesAsync(ct);
        return preferences;
    }
}
