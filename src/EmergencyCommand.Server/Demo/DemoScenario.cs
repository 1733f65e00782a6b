using System.Text.Json.Nodes;
using EmergencyCommand.Server.Platform;
using Marten;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace EmergencyCommand.Server.Demo;

public sealed class DemoScenarioOptions
{
    /// <summary>Seed the epidemic scenario when the store is empty.</summary>
    public bool Seed { get; set; }
    /// <summary>Keep playing scripted events, one every <see cref="DrillIntervalSeconds"/>, so the board moves.</summary>
    public bool Drill { get; set; }
    public double DrillIntervalSeconds { get; set; } = 4;
}

/// <summary>
/// A newcomer's first run shows a living cockpit: an epidemic spreading through Hubei and its neighbours,
/// reported, verified, graded and answered with levels, tasks, depots, requests, allocations and a green channel.
/// Every step is an ordinary API call as a demo user.
/// </summary>
public sealed class DemoScenario(IServer server, IDocumentStore store, IOptions<DemoScenarioOptions> options, IOptions<Identity.DemoOptions> demoUsers,
    IHostApplicationLifetime lifetime, ILogger<DemoScenario> log) : BackgroundService
{
    private static readonly (string Code, string Place, double Lat, double Lon)[] Places =
    [
        ("420102", "江岸区 Jiang'an", 30.60, 114.31), ("420103", "江汉区 Jianghan", 30.60, 114.27), ("420106", "武昌区 Wuchang", 30.55, 114.32),
        ("420902", "孝南区 Xiaonan", 30.92, 113.91), ("421102", "黄州区 Huangzhou", 30.45, 114.88), ("421002", "沙市区 Shashi", 30.32, 112.25),
        ("440106", "天河区 Tianhe", 23.12, 113.36), ("440304", "福田区 Futian", 22.54, 114.05), ("430102", "芙蓉区 Furong", 28.19, 112.98),
        ("330106", "西湖区 Xihu", 30.26, 120.13),
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Seed && !settings.Drill) return;
        if (!demoUsers.Value.Enabled)
        {
            log.LogWarning("Demo:Seed and Demo:Drill need the demo users (Demo:Enabled); nothing seeded");
            return;
        }
        await lifetime.Started(stoppingToken);
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null) return;
        using var http = new HttpClient { BaseAddress = new Uri(address.Replace("0.0.0.0", "127.0.0.1").Replace("[::]", "127.0.0.1").Replace("+", "127.0.0.1")) };
        var demo = new DemoClient(http);
        try
        {
            if (settings.Seed && await IsEmpty(stoppingToken))
            {
                log.LogInformation("Empty store: seeding the demo epidemic scenario through the API");
                await Seed(demo, stoppingToken);
                log.LogInformation("Demo scenario seeded");
            }
            if (settings.Drill) await Drill(demo, TimeSpan.FromSeconds(settings.DrillIntervalSeconds), log, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            log.LogError(e, "The demo scenario stopped");
        }
    }

    private async Task<bool> IsEmpty(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await EventLog.IsEmpty(session, ct);
    }

    private static string In(double hours) => DateTimeOffset.UtcNow.AddHours(hours).ToString("yyyy-MM-ddTHH:mm:ssZ");

    private static async Task<Guid> Report(DemoClient api, string user, int place, string category, string title, string source, CancellationToken ct)
    {
        var (code, _, lat, lon) = Places[place];
        var created = await api.Post(user, "/api/incidents", new
        {
            category, title, description = title, jurisdiction = code, location = new { latitude = lat, longitude = lon },
            occurredAt = In(-Random.Shared.Next(1, 48)), source,
        }, ct);
        return created["id"]!.GetValue<Guid>();
    }

    private static async Task Seed(DemoClient api, CancellationToken ct)
    {
        // Wuhan: the first clusters.
        var market = await Report(api, "reporter", 0, "PublicHealth", "不明原因肺炎聚集 Pneumonia cluster near a seafood market", "Hospital", ct);
        var hospital = await Report(api, "reporter", 1, "PublicHealth", "发热门诊就诊激增 Fever clinic visits surge", "Hospital", ct);
        var duplicate = await Report(api, "reporter", 0, "PublicHealth", "市民热线：市场附近多人发热 Hotline: several fevers near the market", "Hotline", ct);
        var wuchang = await Report(api, "reporter", 2, "PublicHealth", "社区聚集性病例 Community cluster in Wuchang", "GridWorker", ct);
        foreach (var id in new[] { market, hospital, wuchang })
            await api.Post("wuhan", $"/api/incidents/{id}/verify", new { note = "区疾控中心现场核实 Confirmed on site by the district CDC" }, ct);
        await api.Post("wuhan", $"/api/incidents/{duplicate}/dismiss", new { reason = "与市场聚集事件重复 Duplicate of the market cluster report" }, ct);
        await api.Post("wuhan", $"/api/incidents/{market}/grade", new { severity = "I", rationale = "持续人传人 Sustained human-to-human transmission" }, ct);
        await api.Post("wuhan", $"/api/incidents/{hospital}/grade", new { severity = "II", rationale = "医疗资源承压 Hospitals under strain" }, ct);

        var trace = await api.Post("wuhan", $"/api/incidents/{market}/tasks", new { department = "江岸区疾控中心 Jiang'an CDC", instruction = "Trace and quarantine close contacts", dueAt = In(24) }, ct);
        var close = await api.Post("wuhan", $"/api/incidents/{market}/tasks", new { department = "市场监管局 Market supervision", instruction = "Close and disinfect the market", dueAt = In(6) }, ct);
        await api.Post("wuhan", $"/api/incidents/{hospital}/tasks", new { department = "卫健委 Health commission", instruction = "Open 2,000 more fever beds", dueAt = In(48) }, ct);
        await api.Post("responder", $"/api/incidents/{market}/tasks/{trace["id"]}/acknowledge", new { }, ct);
        await api.Post("responder", $"/api/incidents/{market}/tasks/{close["id"]}/acknowledge", new { }, ct);
        await api.Post("responder", $"/api/incidents/{market}/tasks/{close["id"]}/complete", new { outcome = "市场已关闭并消杀 Market closed and disinfected" }, ct);
        await api.Post("reporter", $"/api/incidents/{market}/sitreps", new { dead = 17, injured = 0, missing = 0, affected = 571, note = "Confirmed cases" }, ct);
        await api.Post("reporter", $"/api/incidents/{duplicate}/feedback", new { summary = "已回复来电市民：并入市场事件处置 Caller told the report joined the market case" }, ct);

        // Levels: Hubei declares, then escalates; neighbours follow.
        await api.Post("hubei", "/api/jurisdictions/420000/response-level", new { level = "II", rationale = "湖北省启动二级响应 Province-wide level II", incidentIds = new[] { market, hospital } }, ct);
        await api.Post("guangdong", "/api/jurisdictions/440000/response-level", new { level = "I", rationale = "输入病例增多 Imported cases rising" }, ct);
        await api.Post("national", "/api/jurisdictions/330000/response-level", new { level = "I", rationale = "浙江省一级响应 Zhejiang level I" }, ct);
        await api.Post("national", "/api/jurisdictions/430000/response-level", new { level = "I", rationale = "湖南省一级响应 Hunan level I" }, ct);
        await api.Post("hubei", "/api/jurisdictions/420000/response-level", new { level = "I", rationale = "疫情快速扩散 Rapid spread: escalate to level I", incidentIds = new[] { market, hospital, wuchang } }, ct);

        // Spread to neighbouring cities and provinces.
        var xiaogan = await Report(api, "national", 3, "PublicHealth", "孝感确诊病例 Confirmed cases in Xiaogan", "Department", ct);
        await Report(api, "national", 4, "PublicHealth", "黄冈发热病例 Fever cases in Huanggang", "Hospital", ct);
        await Report(api, "national", 6, "PublicHealth", "广州输入病例 Imported case in Guangzhou", "Hospital", ct);
        await Report(api, "national", 8, "PublicHealth", "长沙密接排查 Contact tracing in Changsha", "Department", ct);
        await api.Post("hubei", $"/api/incidents/{xiaogan}/verify", new { note = "确认 Confirmed" }, ct);

        // Supplies: depots, stock, requests, allocations.
        var wuhanDepot = (await api.Post("logistics", "/api/depots", new { name = "武汉市应急物资储备库 Wuhan reserve depot", jurisdiction = "420100" }, ct))["id"]!.GetValue<Guid>();
        var gzDepot = (await api.Post("logistics", "/api/depots", new { name = "广州物资中转站 Guangzhou transfer depot", jurisdiction = "440100" }, ct))["id"]!.GetValue<Guid>();
        await api.Post("logistics", $"/api/depots/{wuhanDepot}/receipts", new { item = "N95 mask", quantity = 20000, source = "国家储备 National reserve" }, ct);
        await api.Post("logistics", $"/api/depots/{wuhanDepot}/receipts", new { item = "Protective suit", quantity = 3000, source = "湖北省储备 Provincial reserve" }, ct);
        await api.Post("logistics", $"/api/depots/{gzDepot}/receipts", new { item = "N95 mask", quantity = 50000, source = "广东省捐赠 Donation from Guangdong" }, ct);
        await api.Post("logistics", $"/api/depots/{gzDepot}/receipts", new { item = "Test kit", quantity = 10000, source = "企业捐赠 Manufacturer donation" }, ct);
        var jinyintan = (await api.Post("logistics", "/api/supply-requests", new
        {
            requester = "金银潭医院 Jinyintan Hospital", jurisdiction = "420105", priority = "Critical",
            lines = new[] { new { item = "N95 mask", quantity = 15000L }, new { item = "Protective suit", quantity = 2000L } }, neededBy = In(12),
        }, ct))["id"]!.GetValue<Guid>();
        var union = (await api.Post("logistics", "/api/supply-requests", new
        {
            requester = "协和医院 Union Hospital", jurisdiction = "420103", priority = "High",
            lines = new[] { new { item = "N95 mask", quantity = 30000L }, new { item = "Test kit", quantity = 5000L } }, neededBy = In(24),
        }, ct))["id"]!.GetValue<Guid>();
        await api.Post("logistics", "/api/supply-requests", new
        {
            requester = "百步亭社区 Baibuting community", jurisdiction = "420102", priority = "Normal",
            lines = new[] { new { item = "N95 mask", quantity = 5000L } }, neededBy = In(72),
        }, ct);
        await api.Post("logistics", $"/api/supply-requests/{jinyintan}/allocations", new
        {
            depotId = wuhanDepot, rationale = "重症定点医院优先 Designated ICU hospital first",
            lines = new[] { new { item = "N95 mask", quantity = 15000L }, new { item = "Protective suit", quantity = 2000L } },
        }, ct);
        var toUnion = await api.Post("logistics", $"/api/supply-requests/{union}/allocations", new
        {
            depotId = gzDepot, rationale = "广东援助物资 Guangdong aid to Union Hospital",
            lines = new[] { new { item = "N95 mask", quantity = 20000L }, new { item = "Test kit", quantity = 5000L } },
        }, ct);

        // The green channel that carries Guangdong's aid.
        var channel = (await api.Post("logistics", "/api/green-channels", new
        {
            name = "广州—武汉医疗物资通道 Guangzhou–Wuhan medical corridor", origin = "广州 Guangzhou", destination = "武汉 Wuhan",
            // Kilometres along the G4 from Guangzhou: one pass seen at two of them sooner than the road allows is refused.
            checkpoints = new[] { new { code = "G4-YUE-XIANG", name = "粤湘界 Guangdong/Hunan border", kilometre = 290 }, new { code = "G4-XIANG-E", name = "湘鄂界 Hunan/Hubei border", kilometre = 790 }, new { code = "WH-TOLL", name = "武汉收费站 Wuhan toll gate", kilometre = 980 } },
            validFrom = In(-1), validUntil = In(24 * 60), cargo = new[] { "Medical supplies" }, jurisdiction = "000000",
        }, ct))["id"]!.GetValue<Guid>();
        var pass = await api.Post("logistics", $"/api/green-channels/{channel}/passes", new { vehiclePlate = "粤A·D1234", driver = "陈师傅 Chen", cargo = new[] { "Medical supplies" }, validUntil = In(72) }, ct);
        await api.Post("logistics", $"/api/green-channels/{channel}/passes", new { vehiclePlate = "粤B·F5678", driver = "王师傅 Wang", cargo = new[] { "Medical supplies" }, validUntil = In(72) }, ct);
        await api.Post("logistics", "/api/shipments", new { allocationId = toUnion["id"]!.GetValue<Guid>(), greenChannelId = channel, passId = pass["id"]!.GetValue<Guid>() }, ct);
        await api.Post("responder", $"/api/green-channels/{channel}/checkpoints/G4-YUE-XIANG/passages", new { passCode = pass["passCode"]!.ToString(), vehiclePlate = "粤A·D1234" }, ct);
        await api.Post("responder", $"/api/green-channels/{channel}/checkpoints/G4-YUE-XIANG/passages", new { passCode = "FAKE-PASS-0000", vehiclePlate = "粤A·D1234" }, ct);
        // The same code on another vehicle, and again at the Hunan/Hubei border minutes later: both refused, both recorded.
        await api.Post("responder", $"/api/green-channels/{channel}/checkpoints/G4-YUE-XIANG/passages", new { passCode = pass["passCode"]!.ToString(), vehiclePlate = "粤A·X9999" }, ct);
        await api.Post("responder", $"/api/green-channels/{channel}/checkpoints/G4-XIANG-E/passages", new { passCode = pass["passCode"]!.ToString(), vehiclePlate = "粤A·D1234" }, ct);
        await api.Post("logistics", "/api/green-channels", new
        {
            name = "长沙—岳阳通道 Changsha–Yueyang corridor", origin = "长沙 Changsha", destination = "岳阳 Yueyang",
            checkpoints = new[] { new { code = "G4-YY", name = "岳阳北 Yueyang north" } },
            validFrom = In(-1), validUntil = In(24 * 30), cargo = new[] { "Medical supplies", "Food" }, jurisdiction = "430000",
        }, ct);
    }

    /// <summary>
    /// A scripted cycle in accelerated time, one command every interval, that moves every part of the board: new
    /// reports verified and answered with tasks (some left to run past their deadline, so escalations happen by
    /// themselves), sitreps, a neighbouring province's level going up and down, requests met from the depots with
    /// new stock arriving, and checks, disruptions and restorations on the first open green channel.
    /// </summary>
    private static async Task Drill(DemoClient api, TimeSpan every, ILogger log, CancellationToken ct)
    {
        var open = new Queue<(Guid Incident, Guid Task)>();
        Guid? latest = null;
        var channel = new DrillPass();
        for (var step = 1; !ct.IsCancellationRequested; step++)
        {
            await Task.Delay(every, ct);
            try
            {
                latest = await DrillStep(api, step, every, latest, open, channel, ct);
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
            {
                // One refused step (a rule the script did not foresee on an older store) must not end the drill.
                log.LogWarning("Drill step {Step} was refused: {Refusal}", step, e.Message);
            }
        }
    }

    /// <summary>One step of the cycle; returns the latest report. Tasks to complete later wait in <paramref name="open"/>.</summary>
    private static async Task<Guid?> DrillStep(DemoClient api, int step, TimeSpan every, Guid? latest,
        Queue<(Guid Incident, Guid Task)> open, DrillPass channel, CancellationToken ct)
    {
        var place = Places[step % Places.Length];
        var reporter = place.Code.StartsWith("4201") ? "reporter" : "national";
        switch (step % 10)
        {
            case 1:
                latest = await Report(api, reporter, step % Places.Length, step % 7 == 0 ? "Accident" : "PublicHealth",
                    $"新增病例报告 #{step} New case report #{step} ({place.Place})", step % 3 == 0 ? "GridWorker" : "Hospital", ct);
                break;
            case 2 when latest is { } id:
                await api.Post("national", $"/api/incidents/{id}/verify", new { note = "核实 Verified" }, ct);
                // Every third task is given a deadline the drill lets pass: the board's overdue count moves by itself.
                var dueIn = step % 3 == 0 ? TimeSpan.FromSeconds(Math.Max(10, every.TotalSeconds * 3)) : TimeSpan.FromHours(12);
                var task = await api.Post("national", $"/api/incidents/{id}/tasks", new
                {
                    department = "疾控中心 CDC", instruction = "流调与隔离 Trace and isolate contacts",
                    dueAt = DateTimeOffset.UtcNow.Add(dueIn).ToString("O"),
                }, ct);
                if (dueIn > TimeSpan.FromHours(1)) open.Enqueue((id, task["id"]!.GetValue<Guid>()));
                break;
            case 3 when latest is { } id:
                await api.Post("national", $"/api/incidents/{id}/sitreps",
                    new { dead = Random.Shared.Next(0, 3), injured = 0, missing = 0, affected = Random.Shared.Next(5, 200), note = "Daily count" }, ct);
                break;
            case 4 when open.TryDequeue(out var t):
                await api.Post("responder", $"/api/incidents/{t.Incident}/tasks/{t.Task}/acknowledge", new { }, ct);
                await api.Post("responder", $"/api/incidents/{t.Incident}/tasks/{t.Task}/complete", new { outcome = "密接已隔离 Contacts isolated" }, ct);
                break;
            case 5:
                await MeetARequest(api, step, ct);
                break;
            case 6:
                await ChannelStep(api, step, channel, ct);
                break;
            case 7:
                // The level last decided (a change may be announced for later), not the one in force.
                var hunan = await api.Get("national", "/api/jurisdictions/430000/response-level", ct);
                var next = hunan["decided"]?.ToString() == "I" ? "II" : "I";
                await api.Post("national", "/api/jurisdictions/430000/response-level",
                    new { level = next, rationale = next == "II" ? "新增病例回落 New cases falling" : "出现新的聚集 A new cluster" }, ct);
                break;
            case 8:
                var depots = (await api.Get("logistics", "/api/depots", ct)).AsArray();
                if (depots.Count > 0)
                    await api.Post("logistics", $"/api/depots/{depots[step % depots.Count]!["id"]}/receipts",
                        new { item = "N95 mask", quantity = Random.Shared.Next(500, 5000), source = "捐赠 Donation" }, ct);
                break;
            default:
                await ChannelStep(api, step, channel, ct);
                break;
        }
        return latest;
    }

    /// <summary>A community asks for masks; the coordinator serves it from the depot with the most available.</summary>
    private static async Task MeetARequest(DemoClient api, int step, CancellationToken ct)
    {
        var quantity = Random.Shared.Next(200, 2000);
        var request = await api.Post("logistics", "/api/supply-requests", new
        {
            requester = $"社区卫生服务中心 #{step} Community health centre #{step}", jurisdiction = "420106", priority = step % 20 == 5 ? "High" : "Normal",
            lines = new[] { new { item = "N95 mask", quantity } }, neededBy = In(24),
        }, ct);
        var depot = (await api.Get("logistics", "/api/depots", ct)).AsArray()
            .Select(d => (Id: d!["id"]!.GetValue<Guid>(), Available: d["stock"]!.AsArray().Where(s => s!["item"]!.ToString() == "N95 mask").Sum(s => s!["available"]!.GetValue<long>())))
            .OrderByDescending(d => d.Available).FirstOrDefault();
        if (depot.Available >= quantity)
            await api.Post("logistics", $"/api/supply-requests/{request["id"]}/allocations", new
            {
                depotId = depot.Id, rationale = "按需分配 As requested", lines = new[] { new { item = "N95 mask", quantity = (long)quantity } },
            }, ct);
    }

    public const string DrillPlate = "鄂A·Y0001";

    /// <summary>The pass the drill issued on the channel it drives (codes are shown once, at issue).</summary>
    private sealed class DrillPass
    {
        public string? Channel { get; set; }
        public string? Code { get; set; }
    }

    /// <summary>
    /// Checks of the drill's own pass (and now and then a forged code) at the first open channel's checkpoints; now and
    /// then a disruption, restored at the next step.
    /// </summary>
    private static async Task ChannelStep(DemoClient api, int step, DrillPass pass, CancellationToken ct)
    {
        var channel = (await api.Get("logistics", "/api/green-channels", ct)).AsArray()
            .FirstOrDefault(c => c!["status"]!.ToString() is "Open" or "Disrupted" && DateTimeOffset.Parse(c["validUntil"]!.ToString()) > DateTimeOffset.UtcNow.AddHours(1));
        if (channel is null) return;
        var id = channel["id"]!.ToString();
        if (channel["status"]!.ToString() == "Disrupted")
        {
            await api.Post("logistics", $"/api/green-channels/{id}/restoration", new { }, ct);
            return;
        }
        if (step % 30 == 6)
        {
            await api.Post("logistics", $"/api/green-channels/{id}/disruptions", new { reason = "路面塌方 Road collapse ahead" }, ct);
            return;
        }
        if (pass.Channel != id)
        {
            var issued = await api.Post("logistics", $"/api/green-channels/{id}/passes", new
            {
                vehiclePlate = DrillPlate, driver = "演练司机 Drill driver", cargo = channel["cargo"]!.AsArray().Select(c => c!.ToString()).Take(1).ToArray(),
                validUntil = new[] { DateTimeOffset.UtcNow.AddDays(7), DateTimeOffset.Parse(channel["validUntil"]!.ToString()) }.Min().ToString("O"),
            }, ct);
            (pass.Channel, pass.Code) = (id, issued["passCode"]!.ToString());
        }
        var checkpoints = channel["checkpoints"]!.AsArray();
        var checkpoint = checkpoints[step % checkpoints.Count]!["code"]!.ToString();
        await api.Post("responder", $"/api/green-channels/{id}/checkpoints/{checkpoint}/passages",
            new { passCode = step % 4 == 0 ? "ZZZZ-ZZZZ-ZZZZ" : pass.Code, vehiclePlate = DrillPlate }, ct);
    }
}
