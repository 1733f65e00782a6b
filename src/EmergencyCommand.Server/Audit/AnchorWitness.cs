using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;

namespace EmergencyCommand.Server.Audit;

/// <summary>
/// Every few minutes, the chain's head signed and handed to witnesses outside the database: appended as a JSON line to a
/// file per day in <see cref="AuditOptions.WitnessDirectory"/>, and POSTed to <see cref="AuditOptions.WitnessUrl"/>. Only
/// when the head has moved. A witness that fails is logged and tried again at the next tick; the server goes on.
/// </summary>
public sealed class AnchorWitness(AuditEvidence evidence, IOptions<AuditOptions> options, IHttpClientFactory http,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, ILogger<AnchorWitness> log) : BackgroundService
{
    public const string HttpClientName = "audit-witness";

    private readonly SemaphoreSlim _one = new(1, 1);
    private long _witnessed;

    private bool Configured => options.Value.Chain && (!string.IsNullOrWhiteSpace(options.Value.WitnessDirectory) || !string.IsNullOrWhiteSpace(options.Value.WitnessUrl));

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        if (!Configured) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(Math.Max(0.001, options.Value.AnchorEveryMinutes)));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    await WitnessIfMoved(ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogError(e, "The audit anchor could not be witnessed; trying again at the next tick");
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Signs the head and hands it to the witnesses, unless it is the head already witnessed; the anchor written, or null.</summary>
    public async Task<Anchor?> WitnessIfMoved(CancellationToken ct)
    {
        if (!Configured) return null;
        await _one.WaitAsync(ct);
        try
        {
            var anchor = await evidence.AnchorOfHead(ct);
            if (anchor is null || anchor.Sequence == _witnessed) return null;
            var line = JsonSerializer.Serialize(anchor, json.Value.SerializerOptions);
            if (options.Value.WitnessDirectory is { Length: > 0 } directory) await Append(directory, anchor.SignedAt, line, ct);
            if (options.Value.WitnessUrl is { Length: > 0 } url) await Post(url, line, ct);
            _witnessed = anchor.Sequence;
            return anchor;
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>The witness file of a day: <c>anchors-2026-11-30.jsonl</c>.</summary>
    public static string FileOf(string directory, Instant at) =>
        Path.Combine(directory, $"anchors-{LocalDatePattern.Iso.Format(at.InUtc().Date)}.jsonl");

    private static async Task Append(string directory, Instant at, string line, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        // Append only: what was written before is never opened for writing again.
        await using var file = new FileStream(FileOf(directory, at), FileMode.Append, FileAccess.Write, FileShare.Read);
        await file.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), ct);
        await file.FlushAsync(ct);
        file.Flush(flushToDisk: true);
    }

    private async Task Post(string url, string line, CancellationToken ct)
    {
        try
        {
            using var response = await http.CreateClient(HttpClientName).PostAsync(url, new StringContent(line, Encoding.UTF8, "application/json"), ct);
            if (!response.IsSuccessStatusCode) log.LogWarning("The audit witness at {Url} answered {Status} to an anchor", url, (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            log.LogWarning(e, "The audit witness at {Url} could not be reached", url);
        }
    }
}
