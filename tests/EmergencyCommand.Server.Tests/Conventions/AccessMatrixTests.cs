using System.Net;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Conventions;

/// <summary>
/// Every route the server maps × every demo role × a target inside and one outside each user's jurisdictions, against the
/// answer the access rules give. The routes come from the endpoint data source: a route without a rule here fails the
/// test, so a new route cannot arrive without someone deciding who may use it.
/// </summary>
public sealed class AccessMatrixTests(AppFixture fixture) : ServerTest(fixture), IAsyncLifetime
{
    /// <summary>Which side of the country a target lies on: Hubei (under Wuhan) or Guangdong.</summary>
    public enum Side { Hubei, Guangdong }

    private enum Expect { Passes, Forbidden, Hidden, Ok }

    private static readonly string[] Users = ["national", "wuhan", "guangdong", "logistics", "reporter", "responder", "reviewer", "admin", "checkpoint"];

    /// <summary>Each demo user's roles, the sides their jurisdictions cover (for writes) and the sides they may read.</summary>
    private static readonly Dictionary<string, (string[] Roles, Side[] Covers, Side[] Reads)> Who = new()
    {
        ["national"] = (["Commander"], [Side.Hubei, Side.Guangdong], [Side.Hubei, Side.Guangdong]),
        ["wuhan"] = (["Commander"], [Side.Hubei], [Side.Hubei]),
        ["guangdong"] = (["Commander"], [Side.Guangdong], [Side.Guangdong]),
        ["logistics"] = (["LogisticsCoordinator"], [Side.Hubei, Side.Guangdong], [Side.Hubei, Side.Guangdong]),
        ["reporter"] = (["FieldReporter"], [Side.Hubei], [Side.Hubei]),
        ["responder"] = (["Responder"], [Side.Hubei], [Side.Hubei]),
        ["reviewer"] = (["Reviewer"], [Side.Hubei, Side.Guangdong], [Side.Hubei, Side.Guangdong]),
        ["admin"] = (["Administrator"], [Side.Hubei, Side.Guangdong], [Side.Hubei, Side.Guangdong]),
        // Records checks at Wuhan's checkpoints and reads nothing else.
        ["checkpoint"] = (["CheckpointOfficer"], [Side.Hubei], []),
    };

    private sealed record Target(string Incident, string Survivor, string Task, string Depot, string Request, string Allocation, string Channel,
        string Pass, string Shipment, string Decision, string User, string District, string City);

    private readonly Dictionary<Side, Target> _targets = new();

    /// <summary>How a route is guarded: by role (null: anyone signed in), by the target's jurisdiction or not, read or write.</summary>
    private sealed record Rule(string[]? Roles, bool Scoped, bool Write, Func<Side, Target, (string Url, object? Body)> Request);

    private static Rule Write(string[]? roles, Func<Side, Target, (string, object?)> request, bool scoped = true) => new(roles, scoped, true, request);
    private static Rule Read(Func<Side, Target, (string, object?)> request, string[]? roles = null, bool scoped = true) => new(roles, scoped, false, request);
    private static Rule ReadAll(string url, string[]? roles = null) => new(roles, false, false, (_, _) => (url, null));

    private static readonly string[] Commanders = ["Commander"];
    private static readonly string[] Reporting = ["FieldReporter", "Commander"];
    private static readonly string[] OnScene = ["FieldReporter", "Responder", "Commander"];
    private static readonly string[] Responding = ["Responder", "Commander"];
    private static readonly string[] Keepers = ["LogisticsCoordinator", "Commander"];
    private static readonly string[] Checkers = ["CheckpointOfficer", "Responder", "FieldReporter", "LogisticsCoordinator", "Commander"];
    private static readonly string[] Receivers = ["LogisticsCoordinator", "Commander", "Responder"];
    private static readonly string[] Auditors = ["Reviewer", "Administrator", "Commander"];
    private static readonly string[] Administrators = ["Administrator"];

    private static string Soon(int hours) => DateTimeOffset.UtcNow.AddHours(hours).ToString("yyyy-MM-ddTHH:mm:ssZ");

    private static object Incident(string district) => new
    {
        category = "PublicHealth", title = "Fever cluster", description = "", jurisdiction = district,
        location = new { latitude = 30.6, longitude = 114.3 }, occurredAt = "2020-01-20T08:00:00Z", source = "Hotline",
    };

    private static readonly Dictionary<string, Rule> Rules = new()
    {
        ["POST /api/incidents"] = Write(Reporting, (_, t) => ("/api/incidents", Incident(t.District))),
        ["GET /api/incidents"] = ReadAll("/api/incidents"),
        ["GET /api/incidents/{id:guid}"] = Read((_, t) => ($"/api/incidents/{t.Incident}", null)),
        ["GET /api/incidents/{id:guid}/timeline"] = Read((_, t) => ($"/api/incidents/{t.Incident}/timeline", null)),
        ["GET /api/streams/{id:guid}/changes"] = Read((_, t) => ($"/api/streams/{t.Incident}/changes?after=0", null)),
        ["POST /api/incidents/{id:guid}/verify"] = Write(Commanders, (_, t) => ($"/api/incidents/{t.Incident}/verify", new { note = "checked" })),
        ["POST /api/incidents/{id:guid}/dismiss"] = Write(Commanders, (_, t) => ($"/api/incidents/{t.Incident}/dismiss", new { reason = "duplicate" })),
        ["POST /api/incidents/{id:guid}/grade"] = Write(Commanders, (_, t) => ($"/api/incidents/{t.Incident}/grade", new { severity = "III", rationale = "local" })),
        ["POST /api/incidents/{id:guid}/tasks"] = Write(Commanders, (_, t) => ($"/api/incidents/{t.Incident}/tasks",
            new { department = "CDC", instruction = "trace", dueAt = Soon(12) })),
        ["POST /api/incidents/{id:guid}/tasks/{taskId:guid}/acknowledge"] = Write(Responding, (_, t) => ($"/api/incidents/{t.Incident}/tasks/{t.Task}/acknowledge", new { })),
        ["POST /api/incidents/{id:guid}/tasks/{taskId:guid}/complete"] = Write(Responding, (_, t) => ($"/api/incidents/{t.Incident}/tasks/{t.Task}/complete", new { outcome = "done" })),
        ["POST /api/incidents/{id:guid}/sitreps"] = Write(OnScene, (_, t) => ($"/api/incidents/{t.Incident}/sitreps",
            new { dead = 0, injured = 1, missing = 0, affected = 3, note = "" })),
        ["POST /api/incidents/{id:guid}/feedback"] = Write(Reporting, (_, t) => ($"/api/incidents/{t.Incident}/feedback", new { summary = "told" })),
        ["POST /api/incidents/{id:guid}/close"] = Write(Commanders, (_, t) => ($"/api/incidents/{t.Incident}/close", new { summary = "over" })),
        ["POST /api/incidents/{id:guid}/merge"] = Write(Commanders, (_, t) => ($"/api/incidents/{t.Incident}/merge", new { intoIncidentId = t.Survivor, rationale = "same" })),
        ["GET /api/reviews/incidents/{id:guid}"] = Read((_, t) => ($"/api/reviews/incidents/{t.Incident}", null)),

        ["POST /api/jurisdictions/{code}/response-level"] = Write(Commanders, (_, t) => ($"/api/jurisdictions/{t.District}/response-level",
            new { level = "IV", rationale = "local outbreak", incidentIds = Array.Empty<Guid>() })),
        ["POST /api/jurisdictions/{code}/response-level/termination"] = Write(Commanders, (_, t) => ($"/api/jurisdictions/{t.District}/response-level/termination",
            new { rationale = "over" })),
        ["POST /api/jurisdictions/{code}/response-level/scheduled-change/supersession"] = Write(Commanders, (_, t) =>
            ($"/api/jurisdictions/{t.District}/response-level/scheduled-change/supersession", new { rationale = "not needed" })),
        ["GET /api/jurisdictions/{code}/response-level"] = Read((_, t) => ($"/api/jurisdictions/{t.District}/response-level", null), scoped: false),

        ["POST /api/depots"] = Write(Keepers, (_, t) => ("/api/depots", new { name = "Depot", jurisdiction = t.City })),
        ["GET /api/depots"] = ReadAll("/api/depots"),
        ["GET /api/depots/{id:guid}"] = Read((_, t) => ($"/api/depots/{t.Depot}", null)),
        ["POST /api/depots/{id:guid}/receipts"] = Write(Keepers, (_, t) => ($"/api/depots/{t.Depot}/receipts", new { item = "N95", quantity = 10, source = "donation" })),
        ["POST /api/supply-requests"] = Write(Keepers, (_, t) => ("/api/supply-requests", new
        {
            requester = "Clinic", jurisdiction = t.District, priority = "Normal", lines = new[] { new { item = "N95", quantity = 5L } }, neededBy = Soon(48),
        })),
        ["GET /api/supply-requests"] = ReadAll("/api/supply-requests"),
        ["GET /api/supply-requests/{id:guid}"] = Read((_, t) => ($"/api/supply-requests/{t.Request}", null)),
        ["POST /api/supply-requests/{id:guid}/allocations"] = Write(["LogisticsCoordinator"], (_, t) => ($"/api/supply-requests/{t.Request}/allocations",
            new { depotId = t.Depot, lines = new[] { new { item = "N95", quantity = 1L } }, rationale = "as asked" })),
        ["POST /api/supply-requests/{id:guid}/allocations/{allocationId:guid}/cancellation"] = Write(Keepers,
            (_, t) => ($"/api/supply-requests/{t.Request}/allocations/{t.Allocation}/cancellation", new { reason = "diverted" })),
        ["POST /api/supply-requests/{id:guid}/cancellation"] = Write(Keepers, (_, t) => ($"/api/supply-requests/{t.Request}/cancellation", new { reason = "met" })),
        ["GET /api/allocation-plan"] = ReadAll("/api/allocation-plan?item=N95"),

        ["POST /api/green-channels"] = Write(Keepers, (_, t) => ("/api/green-channels", new
        {
            name = "Corridor", origin = "A", destination = "B", checkpoints = new[] { new { code = "CP1", name = "Gate" } },
            validFrom = Soon(-1), validUntil = Soon(24 * 30), cargo = new[] { "Medical supplies" }, jurisdiction = t.City,
        })),
        ["GET /api/green-channels"] = ReadAll("/api/green-channels"),
        ["GET /api/green-channels/{id:guid}"] = Read((_, t) => ($"/api/green-channels/{t.Channel}", null)),
        ["GET /api/green-channels/{id:guid}/checks"] = Read((_, t) => ($"/api/green-channels/{t.Channel}/checks", null)),
        ["POST /api/green-channels/{id:guid}/passes"] = Write(Keepers, (_, t) => ($"/api/green-channels/{t.Channel}/passes",
            new { vehiclePlate = "鄂A00001", driver = "Driver", cargo = new[] { "Medical supplies" }, validUntil = Soon(48) })),
        ["POST /api/green-channels/{id:guid}/passes/{passId:guid}/revocation"] = Write(Keepers,
            (_, t) => ($"/api/green-channels/{t.Channel}/passes/{t.Pass}/revocation", new { reason = "quarantined" })),
        ["POST /api/green-channels/{id:guid}/checkpoints/{code}/passages"] = Write(Checkers,
            (_, t) => ($"/api/green-channels/{t.Channel}/checkpoints/CP1/passages", new { passCode = "ZZZZ-ZZZZ-ZZZZ", vehiclePlate = "鄂A00001" }), scoped: false),
        ["POST /api/green-channels/{id:guid}/disruptions"] = Write(Keepers, (_, t) => ($"/api/green-channels/{t.Channel}/disruptions", new { reason = "snow" })),
        ["POST /api/green-channels/{id:guid}/restoration"] = Write(Keepers, (_, t) => ($"/api/green-channels/{t.Channel}/restoration", new { })),
        ["POST /api/green-channels/{id:guid}/closure"] = Write(Keepers, (_, t) => ($"/api/green-channels/{t.Channel}/closure", new { reason = "over" })),

        ["POST /api/shipments"] = Write(Keepers, (_, t) => ("/api/shipments", new { allocationId = t.Allocation, greenChannelId = t.Channel, passId = t.Pass })),
        ["GET /api/shipments/{id:guid}"] = Read((_, t) => ($"/api/shipments/{t.Shipment}", null)),
        ["POST /api/shipments/{id:guid}/delivery"] = Write(Receivers, (_, t) => ($"/api/shipments/{t.Shipment}/delivery",
            new { lines = new[] { new { item = "N95", quantity = 1L } }, receivedBy = "Ward 3" })),

        ["GET /api/checkpoints"] = ReadAll("/api/checkpoints", Checkers),
        ["GET /api/tasks"] = ReadAll("/api/tasks"),
        ["GET /api/escalations"] = ReadAll("/api/escalations", ["Commander", "Reviewer"]),
        ["GET /api/shipments"] = ReadAll("/api/shipments"),
        ["GET /api/me/preferences"] = ReadAll("/api/me/preferences"),
        ["POST /api/me/preferences"] = Write(null, (_, _) => ("/api/me/preferences", new { language = "en" }), scoped: false),

        ["GET /api/situation"] = ReadAll("/api/situation"),
        ["GET /api/decisions"] = ReadAll("/api/decisions"),
        ["GET /api/decisions/{id:guid}"] = Read((_, t) => ($"/api/decisions/{t.Decision}", null)),
        ["GET /api/replay"] = ReadAll("/api/replay", Auditors),
        ["GET /api/audit/verification"] = ReadAll("/api/audit/verification", Auditors),
        ["GET /api/audit/anchor"] = ReadAll("/api/audit/anchor", ["Reviewer", "Administrator"]),
        ["POST /api/audit/anchor/verification"] = Write(Auditors, (_, _) => ("/api/audit/anchor/verification",
            new { sequence = 1, hash = new string('0', 64), signedAt = "2020-01-20T08:00:00Z", signature = new string('0', 64) }), scoped: false),
        ["GET /api/reviews/jurisdictions/{code}"] = Read((_, t) => ($"/api/reviews/jurisdictions/{t.City}", null), Auditors),

        ["POST /api/users"] = Write(Administrators, (side, t) => ("/api/users", new
        {
            username = $"new.{side}.{Guid.NewGuid():N}"[..20], displayName = "New", password = "a long enough password", roles = new[] { "Responder" },
            jurisdictions = new[] { t.District },
        })),
        ["GET /api/users"] = ReadAll("/api/users", Administrators),
        ["GET /api/users/{username}"] = Read((_, t) => ($"/api/users/{t.User}", null), Administrators),
        ["POST /api/users/{username}/roles"] = Write(Administrators, (_, t) => ($"/api/users/{t.User}/roles", new { roles = new[] { "Responder", "FieldReporter" } })),
        ["POST /api/users/{username}/jurisdictions"] = Write(Administrators, (_, t) => ($"/api/users/{t.User}/jurisdictions", new { jurisdictions = new[] { t.City } })),
        ["POST /api/users/{username}/disable"] = Write(Administrators, (_, t) => ($"/api/users/{t.User}/disable", new { reason = "left" })),
        ["POST /api/users/{username}/enable"] = Write(Administrators, (_, t) => ($"/api/users/{t.User}/enable", new { })),
        ["POST /api/users/{username}/password"] = Write(Administrators, (_, t) => ($"/api/users/{t.User}/password", new { newPassword = "a new long password" })),
    };

    /// <summary>Routes outside the matrix, and why.</summary>
    private static readonly Dictionary<string, string> Elsewhere = new()
    {
        ["POST /api/auth/token"] = "open to anyone (AccessTests, TokenTests)",
        ["GET /api/audit/public-key"] = "open to anyone: a public key (AnchorEvidenceTests)",
        ["POST /api/auth/refresh"] = "open to anyone (TokenTests)",
        ["POST /api/auth/sign-out"] = "open to anyone (TokenTests)",
        ["GET /api/auth/antiforgery"] = "open to anyone (BrowserSessionTests)",
        ["POST /api/auth/session"] = "open to anyone (BrowserSessionTests)",
        ["GET /api/auth/session"] = "anyone signed in, about themself (BrowserSessionTests)",
        ["POST /api/auth/session/sign-out"] = "anyone signed in, about themself (BrowserSessionTests)",
        ["GET /api/situation/live"] = "a stream that never ends (SituationTests; the board it sends is the one GET /api/situation answers)",
        ["GET /health/live"] = "open (HostTests)",
        ["POST /signout"] = "the console's sign-out form: ends the caller's own cookie session (ConsoleFlowTests)",
        ["GET /health/ready"] = "open (HostTests)",
        ["GET /openapi/{documentName}.json"] = "open (HostTests)",
    };

    public async Task InitializeAsync()
    {
        foreach (var (side, district, city) in new[] { (Side.Hubei, "420102", "420100"), (Side.Guangdong, "440103", "440100") })
        {
            var national = National;
            var incident = (await national.Post("/api/incidents", Incident(district))).ShouldBe(HttpStatusCode.Created).Id;
            var survivor = (await national.Post("/api/incidents", Incident(district))).ShouldBe(HttpStatusCode.Created).Id;
            foreach (var id in new[] { incident, survivor })
                (await national.Post($"/api/incidents/{id}/verify", new { note = "on site" })).ShouldBe(HttpStatusCode.OK);
            var task = (await national.Post($"/api/incidents/{incident}/tasks", new { department = "CDC", instruction = "trace", dueAt = Soon(24) }))
                .ShouldBe(HttpStatusCode.Created).Id;
            var depot = (await Logistics.Post("/api/depots", new { name = "Depot", jurisdiction = city })).ShouldBe(HttpStatusCode.Created).Id;
            (await Logistics.Post($"/api/depots/{depot}/receipts", new { item = "N95", quantity = 1000, source = "reserve" })).ShouldBe(HttpStatusCode.OK);
            var request = (await Logistics.Post("/api/supply-requests", new
            {
                requester = "Hospital", jurisdiction = district, priority = "High", lines = new[] { new { item = "N95", quantity = 100L } }, neededBy = Soon(72),
            })).ShouldBe(HttpStatusCode.Created).Id;
            var allocation = (await Logistics.Post($"/api/supply-requests/{request}/allocations",
                new { depotId = depot, lines = new[] { new { item = "N95", quantity = 10L } }, rationale = "first" })).ShouldBe(HttpStatusCode.Created).Id;
            var shipped = (await Logistics.Post($"/api/supply-requests/{request}/allocations",
                new { depotId = depot, lines = new[] { new { item = "N95", quantity = 10L } }, rationale = "second" })).ShouldBe(HttpStatusCode.Created).Id;
            var channel = (await Logistics.Post("/api/green-channels", new
            {
                name = "Corridor", origin = "A", destination = "B", checkpoints = new[] { new { code = "CP1", name = "Gate" } },
                validFrom = Soon(-1), validUntil = Soon(24 * 30), cargo = new[] { "Medical supplies" }, jurisdiction = city,
            })).ShouldBe(HttpStatusCode.Created).Id;
            var pass = (await Logistics.Post($"/api/green-channels/{channel}/passes",
                new { vehiclePlate = "鄂A12345", driver = "Li", cargo = new[] { "Medical supplies" }, validUntil = Soon(72) })).ShouldBe(HttpStatusCode.Created).Id;
            var shipment = (await Logistics.Post("/api/shipments", new { allocationId = shipped, greenChannelId = channel, passId = pass }))
                .ShouldBe(HttpStatusCode.Created).Id;
            var user = $"clerk.{side.ToString().ToLowerInvariant()}";
            (await As("admin").Post("/api/users", new { username = user, displayName = "Clerk", password = "a long enough password", roles = new[] { "Responder" },
                jurisdictions = new[] { district } })).ShouldBe(HttpStatusCode.Created);
            await Settled();
            var decision = (await Reviewer.Get($"/api/decisions?jurisdiction={district}")).Json.AsArray()[0]!["id"]!.ToString();
            _targets[side] = new Target(incident.ToString(), survivor.ToString(), task.ToString(), depot.ToString(), request.ToString(),
                allocation.ToString(), channel.ToString(), pass.ToString(), shipment.ToString(), decision, user, district, city);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static Expect Expected(Rule rule, string user, Side side)
    {
        var (roles, covers, reads) = Who[user];
        if (rule.Roles is not null && !roles.Intersect(rule.Roles).Any()) return Expect.Forbidden;
        if (rule.Write) return !rule.Scoped || covers.Contains(side) ? Expect.Passes : Expect.Forbidden;
        return !rule.Scoped || reads.Contains(side) ? Expect.Ok : Expect.Hidden;
    }

    private static bool Matches(HttpStatusCode status, Expect expect) => expect switch
    {
        Expect.Ok => status == HttpStatusCode.OK,
        Expect.Forbidden => status == HttpStatusCode.Forbidden,
        Expect.Hidden => status == HttpStatusCode.NotFound,
        // Past the access rules: whatever the state then says (201, 200, 204, 409 for a rule of the state), never 401/403/404/5xx.
        _ => (int)status is >= 200 and < 300 or 409 or 412,
    };

    [Fact]
    public async Task Every_route_answers_every_role_in_and_out_of_scope_as_the_access_rules_say()
    {
        var routes = Route.All(Fixture.Host).Select(r => $"{r.Method} {r.Pattern}").ToList();
        routes.Where(r => !Rules.ContainsKey(r) && !Elsewhere.ContainsKey(r)).Should().BeEmpty("every route needs an access rule in this matrix");
        Rules.Keys.Where(r => !routes.Contains(r)).Should().BeEmpty("a rule for a route the server no longer maps is stale");

        var wrong = new List<string>();
        var checkedCount = 0;
        // Writes that end a stream's life come last, so the other routes still meet live targets.
        var order = Rules.OrderBy(r => r.Key.Contains("/close") || r.Key.Contains("/closure") || r.Key.Contains("/dismiss") || r.Key.Contains("/merge")
            || r.Key.EndsWith("/cancellation") || r.Key.EndsWith("/delivery") ? 1 : 0);
        foreach (var (route, rule) in order)
        foreach (var user in Users)
        foreach (var side in new[] { Side.Hubei, Side.Guangdong })
        {
            var (url, body) = rule.Request(side, _targets[side]);
            var method = route.Split(' ')[0];
            var answer = await As(user).Send(new HttpMethod(method), url, body is null ? null : System.Text.Json.JsonSerializer.Serialize(body), null);
            var expect = Expected(rule, user, side);
            checkedCount++;
            if (!Matches(answer.Status, expect))
                wrong.Add($"{route} as {user} on the {side} side: expected {expect}, got {(int)answer.Status} {answer.Body[..Math.Min(160, answer.Body.Length)]}");
        }
        checkedCount.Should().BeGreaterThan(1000);
        wrong.Should().BeEmpty();
    }
}
