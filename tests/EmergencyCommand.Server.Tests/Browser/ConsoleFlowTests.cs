using EmergencyCommand.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using NodaTime;

namespace EmergencyCommand.Server.Tests.Browser;

/// <summary>
/// Each role's main flow, walked in headless Chromium on the console of a real server process and PostgreSQL: every
/// step is a click or a keystroke on the page, every check what the page (or the log, through the API) shows.
/// </summary>
[Trait(Speed.Trait, Speed.Slow)]
public sealed class ConsoleFlowTests(ConsoleServer console) : IClassFixture<ConsoleServer>
{
    private Chromium Browser => console.Browser;

    /// <summary>
    /// No page of this test raised an error. The errors are then cleared, so one failure is charged to the test it
    /// happened in, not to every test after it in the class; the server's last words come with them, since a page
    /// error from Blazor only says that the server's handler threw.
    /// </summary>
    private void NoPageErrors()
    {
        string[] errors;
        lock (Browser.Errors)
        {
            errors = [.. Browser.Errors];
            Browser.Errors.Clear();
        }
        errors.Should().BeEmpty("the server said:\n{0}", string.Join('\n', console.Server.Output.Split('\n').TakeLast(60)));
    }

    [Fact]
    public async Task A_report_goes_round_the_loop_reporter_commander_responder_feedback_close()
    {
        var reporter = await Browser.SignIn("reporter");
        var commander = await Browser.SignIn("wuhan");
        var responder = await Browser.SignIn("responder", 360, 740);
        var title = $"Fever cluster {Guid.NewGuid():N}"[..24];

        await Browser.Explaining(async () =>
        {
            // The reporter reports, with the place typed.
            await Browser.Open(reporter, "report");
            await Chromium.Choose(reporter, "#report-category", "公共卫生事件");
            await reporter.FillAsync("#report-title", title);
            await reporter.FillAsync("#report-latitude", "30.58");
            await reporter.FillAsync("#report-longitude", "114.29");
            await reporter.ClickAsync("#report-submit");
            var mine = reporter.Locator("[data-incident]").Filter(new() { HasText = title });
            await Expect(mine).ToHaveAttributeAsync("data-stage", "Reported");
            var id = await mine.GetAttributeAsync("data-incident");

            // The commander verifies and dispatches a task with a due time.
            await Browser.Open(commander, $"incidents/{id}");
            await commander.FillAsync("#verify-note", "Confirmed by the district CDC");
            await commander.ClickAsync("#verify");
            await commander.FillAsync("#task-department", "Jiang'an CDC");
            await commander.FillAsync("#task-instruction", "Trace close contacts");
            await commander.FillAsync("#task-due", Beijing(Duration.FromDays(1)));
            await commander.ClickAsync("#dispatch");
            await Expect(commander.Locator("[data-task]")).ToHaveAttributeAsync("data-status", "Dispatched");
            await Expect(mine).ToHaveAttributeAsync("data-stage", "Dispatched");

            // The responder, on a phone, acknowledges and completes it with a note.
            await Browser.Open(responder, "tasks");
            var task = responder.Locator("[data-task]").Filter(new() { HasText = title });
            await task.Locator("[data-action=acknowledge]").ClickAsync();
            await Expect(task).ToHaveAttributeAsync("data-status", "Acknowledged");
            await task.Locator(".outcome textarea").FillAsync("42 contacts traced and quarantined");
            await task.Locator("[data-action=complete]").ClickAsync();
            await Expect(task).ToHaveCountAsync(0);

            // The commander's open page follows by itself; the commander answers the reporter and closes.
            await Expect(commander.Locator("[data-task]")).ToHaveAttributeAsync("data-status", "Completed");
            // Closing before anyone has told the reporter is refused; the page asks for feedback or why none is owed.
            await commander.FillAsync("#close-summary", "Contained");
            await commander.ClickAsync("#close");
            await Expect(commander.Locator("[data-testid=problem]")).ToHaveAttributeAsync("data-rule", "close-after-feedback");
            await Expect(commander.Locator("#feedback-waiver")).ToBeVisibleAsync();
            await commander.FillAsync("#feedback", "Handled: contacts traced, the cluster is contained");
            await commander.ClickAsync("#give-feedback");
            await Expect(mine).ToHaveAttributeAsync("data-stage", "FeedbackGiven");
            await Expect(mine.Locator("[data-testid=feedback]")).ToContainTextAsync("the cluster is contained");
            await Expect(commander.Locator("#feedback-waiver")).ToHaveCountAsync(0);
            await commander.ClickAsync("#close");
            await Expect(mine).ToHaveAttributeAsync("data-stage", "Closed");
        }, reporter, commander, responder);
        NoPageErrors();
    }

    [Fact]
    public async Task A_province_commander_declares_level_II_a_city_commander_is_told_why_not_and_the_reviewer_sees_what_was_known()
    {
        using var national = await console.As("national");
        await national.Post("/api/incidents", Incident("Pneumonia cluster", "420106"));
        // The board is the daemon's: the incident is on it once the daemon has passed it.
        var knownIncidents = 0;
        await Conditions.Eventually(async () =>
        {
            knownIncidents = (int)(await national.Get("/api/situation?jurisdiction=420000"))["incidents"]!["total"]!;
            return knownIncidents == (await national.Get("/api/incidents?jurisdiction=420000")).AsArray().Count;
        });

        var hubei = await Browser.SignIn("hubei");
        var wuhan = await Browser.SignIn("wuhan");
        var reviewer = await Browser.SignIn("reviewer");
        await Browser.Explaining(async () =>
        {
            await Browser.Open(hubei, "jurisdictions/420000");
            await Chromium.Choose(hubei, "#level", "Ⅱ级");
            await hubei.FillAsync("#rationale", "Clusters in three districts");
            await hubei.ClickAsync("#review-decision");
            // The confirmation says exactly what will be recorded, with the board the decision will carry.
            await Expect(hubei.Locator("[data-testid=confirm-event]")).ToHaveTextAsync("ResponseLevelDeclared");
            await Expect(hubei.Locator("[data-testid=confirm] [data-testid=incidents-total]")).ToHaveTextAsync(knownIncidents.ToString());
            await hubei.ClickAsync("#confirm-record");
            await Expect(hubei.Locator("[data-testid=level-in-force]")).ToHaveAttributeAsync("data-level", "II");

            // A city commander may not: the page says so before, and the server's refusal after.
            await Browser.Open(wuhan, "jurisdictions/420100");
            await Expect(wuhan.Locator("[data-testid=authority] tr[data-level=II]")).ToContainTextAsync("无权决定");
            await Chromium.Choose(wuhan, "#level", "Ⅱ级");
            await Expect(wuhan.Locator("[data-testid=authority-hint]")).ToBeVisibleAsync();
            await wuhan.FillAsync("#rationale", "Spreading");
            await wuhan.ClickAsync("#review-decision");
            await wuhan.ClickAsync("#confirm-record");
            await Expect(wuhan.Locator("[data-testid=problem]")).ToHaveAttributeAsync("data-rule", "level-authority");
            await Expect(wuhan.Locator("[data-testid=level-in-force]")).ToHaveAttributeAsync("data-level", "none");

            // The reviewer opens that decision and sees the board as hubei saw it: the incidents, no level yet.
            await Browser.Open(reviewer, "decisions");
            await reviewer.Locator("tr[data-type=ResponseLevelDeclared]").Filter(new() { HasText = "hubei" }).Locator("a").ClickAsync();
            await Expect(reviewer.Locator("[data-testid=decided-by]")).ToContainTextAsync("hubei");
            await Expect(reviewer.Locator("[data-testid=rationale]")).ToHaveTextAsync("Clusters in three districts");
            var known = reviewer.Locator("[data-testid=known-situation]");
            await Expect(known.Locator("[data-testid=incidents-total]")).ToHaveTextAsync(knownIncidents.ToString());
            await Expect(known.Locator("[data-testid=levels] li[data-jurisdiction='420000']")).ToHaveCountAsync(0);
        }, hubei, wuhan, reviewer);

        var cityHistory = (await national.Get("/api/jurisdictions/420100/response-level"))["history"]!.AsArray();
        cityHistory.Should().BeEmpty("the city commander's attempt was refused and recorded nothing");
        NoPageErrors();
    }

    [Fact]
    public async Task The_coordinator_allocates_and_ships_the_checkpoint_admits_the_pass_and_the_delivery_lands_on_the_board()
    {
        using var api = await console.As("logistics");
        var depot = (await api.Post("/api/depots", new { name = "Hankou depot", jurisdiction = "420100" }))["id"]!.ToString();
        await api.Post($"/api/depots/{depot}/receipts", new { item = "Oxygen cylinder", quantity = 500, source = "Donation" });
        var request = (await api.Post("/api/supply-requests", new
        {
            requester = "Jinyintan Hospital", jurisdiction = "420105", priority = "Critical",
            lines = new[] { new { item = "Oxygen cylinder", quantity = 120 } }, neededBy = DateTimeOffset.UtcNow.AddDays(2).ToString("O"),
        }))["id"]!.ToString();
        var channel = (await api.Post("/api/green-channels", new
        {
            name = "Hankou–Jinyintan corridor", origin = "Hankou depot", destination = "Jinyintan Hospital", jurisdiction = "420100",
            checkpoints = new[] { new { code = "HK-1", name = "Hankou toll gate" } },
            validFrom = DateTimeOffset.UtcNow.AddHours(-1).ToString("O"), validUntil = DateTimeOffset.UtcNow.AddDays(7).ToString("O"), cargo = new[] { "Oxygen cylinder" },
        }))["id"]!.ToString();

        var coordinator = await Browser.SignIn("logistics");
        var officer = await Browser.SignIn("checkpoint", 360, 740);
        await Browser.Explaining(async () =>
        {
            // Allocation, prefilled from the plan (the plan advises all 120 from the 500 available), double-clicked.
            await Browser.Open(coordinator, "requests");
            var card = coordinator.Locator($"[data-request='{request}']");
            await Expect(card.Locator(".allocate-line input")).ToHaveValueAsync("120");
            await Expect(card.Locator(".allocate-rationale textarea")).ToHaveValueAsync("按调配方案分配");
            await card.Locator("[data-action=allocate]").DblClickAsync();
            await Expect(card.Locator("[data-allocation]")).ToHaveAttributeAsync("data-status", "Reserved");

            // A pass, its code shown once with a QR code to print.
            await Browser.Open(coordinator, $"channels/{channel}");
            await coordinator.FillAsync("#pass-plate", "鄂A12345");
            await coordinator.FillAsync("#pass-driver", "Li Wei");
            await coordinator.FillAsync("#pass-cargo", "Oxygen cylinder");
            await coordinator.ClickAsync("#issue-pass");
            await Expect(coordinator.Locator(".pass-qr svg")).ToBeVisibleAsync();
            var code = (await coordinator.Locator("[data-testid=pass-code]").InnerTextAsync()).Trim();
            code.Should().NotBeEmpty();
            await coordinator.ClickAsync("#pass-done");
            await Expect(coordinator.Locator("[data-testid=pass-code]")).ToHaveCountAsync(0);

            // The checkpoint officer, on a phone, types the code and the plate: another vehicle with it is refused, then
            // the pass's own vehicle admitted, in large type.
            await Browser.Open(officer, "checkpoint");
            await Chromium.Choose(officer, "#checkpoint-post", "Hankou toll gate");
            await officer.FillAsync("#pass-code", code);
            await officer.FillAsync("#vehicle-plate", "鄂B99999");
            await officer.ClickAsync("#check-pass");
            await Expect(officer.Locator("[data-testid=verdict]")).ToHaveAttributeAsync("data-admitted", "false");
            await Expect(officer.Locator("[data-testid=verdict]")).ToContainTextAsync("车牌与通行证不符");
            await officer.FillAsync("#pass-code", code);
            await officer.FillAsync("#vehicle-plate", "鄂A 12345");
            await officer.ClickAsync("#check-pass");
            await Expect(officer.Locator("[data-testid=verdict]")).ToHaveAttributeAsync("data-admitted", "true");
            await Expect(officer.Locator("[data-testid=verdict]")).ToContainTextAsync("鄂A12345");

            // Dispatch on the channel with the pass, then the delivery; the cockpit shows it.
            await Browser.Open(coordinator, "shipments");
            await Chromium.Choose(coordinator, "#dispatch-allocation", "Jinyintan Hospital");
            await Chromium.Choose(coordinator, "#dispatch-channel", "Hankou–Jinyintan corridor");
            await Chromium.Choose(coordinator, "#dispatch-pass", "鄂A12345");
            await coordinator.ClickAsync("#dispatch-shipment");
            var shipment = coordinator.Locator("[data-shipment]").Filter(new() { HasText = "Jinyintan Hospital" });
            await Expect(shipment).ToHaveAttributeAsync("data-status", "InTransit");
            // 100 of the 120 cylinders arrive.
            await shipment.Locator(".received-line input").FillAsync("100");
            await shipment.Locator(".received-by input").FillAsync("Dr. Zhang");
            await shipment.Locator("[data-action=deliver]").ClickAsync();
            await Expect(shipment).ToHaveAttributeAsync("data-status", "Delivered");
            await Browser.Open(coordinator, "");
            await Expect(coordinator.Locator("[data-testid=shipments-delivered]")).ToHaveTextAsync("1");

            // The 20 that never came are back in the queue, offered to the next allocation.
            await Browser.Open(coordinator, "requests");
            await Expect(card.Locator("[data-testid=short]")).ToContainTextAsync("20");
            await Expect(card.Locator(".allocate-line input")).ToHaveValueAsync("20");
        }, coordinator, officer);

        var requestNow = await api.Get($"/api/supply-requests/{request}");
        requestNow["allocations"]!.AsArray().Should().ContainSingle("a double click records once");
        ((long)requestNow["lines"]![0]!["delivered"]!, (long)requestNow["lines"]![0]!["outstanding"]!).Should().Be((100L, 20L));
        NoPageErrors();
    }

    [Fact]
    public async Task A_decision_on_a_page_gone_stale_records_nothing_and_says_who_changed_what()
    {
        using var national = await console.As("national");
        var hubei = await Browser.SignIn("hubei");
        await Browser.Explaining(async () =>
        {
            await Browser.Open(hubei, "jurisdictions/420500");
            await Chromium.Choose(hubei, "#level", "Ⅲ级");
            await hubei.FillAsync("#rationale", "Cases in Yichang");
            await hubei.ClickAsync("#review-decision");
            await Expect(hubei.Locator("[data-testid=confirm-event]")).ToHaveTextAsync("ResponseLevelDeclared");

            // While the confirmation is open, the national commander decides on the same jurisdiction.
            await national.Post("/api/jurisdictions/420500/response-level", new { level = "IV", rationale = "National watch" });
            await hubei.ClickAsync("#confirm-record");
            var stale = hubei.Locator("[data-testid=stale]");
            await Expect(stale).ToContainTextAsync("national");
            await Expect(stale).ToContainTextAsync("420500 宜昌市 启动Ⅳ级应急响应"); // told in the console's language

            // Reloading shows the new state; the same decision, reviewed again, is an escalation and records once.
            await hubei.ClickAsync("#stale-reload");
            await Expect(hubei.Locator("[data-testid=level-in-force]")).ToHaveAttributeAsync("data-level", "IV");
            await Chromium.Choose(hubei, "#level", "Ⅲ级");
            await hubei.FillAsync("#rationale", "Cases in Yichang");
            await hubei.ClickAsync("#review-decision");
            await Expect(hubei.Locator("[data-testid=confirm-event]")).ToHaveTextAsync("ResponseLevelEscalated");
            await hubei.ClickAsync("#confirm-record");
            await Expect(hubei.Locator("[data-testid=level-in-force]")).ToHaveAttributeAsync("data-level", "III");
        }, hubei);

        var history = (await national.Get("/api/jurisdictions/420500/response-level"))["history"]!.AsArray();
        history.Select(h => (string?)h!["decidedBy"]).Should().Equal("national", "hubei");
        NoPageErrors();
    }

    [Fact]
    public async Task The_cockpit_follows_the_log_without_a_reload_and_switches_language_for_good()
    {
        using var national = await console.As("national");
        var page = await Browser.SignIn("guangdong");
        await Browser.Explaining(async () =>
        {
            var total = page.Locator("[data-testid=incidents-total]");
            await Expect(total).Not.ToHaveTextAsync("");
            var before = int.Parse(await total.InnerTextAsync());
            await national.Post("/api/incidents", Incident("Imported cases", "440106"));
            await national.Post("/api/jurisdictions/440000/response-level", new { level = "I", rationale = "Imported cases rising" });
            await Expect(total).ToHaveTextAsync((before + 1).ToString());
            await Expect(page.Locator("[data-testid=levels] li[data-jurisdiction='440000']")).ToHaveAttributeAsync("data-level", "I");

            await page.ClickAsync("#language");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Cockpit");
            await Browser.Open(page, "");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Cockpit");
        }, page);
        NoPageErrors();
    }

    private static object Incident(string title, string jurisdiction) => new
    {
        category = "PublicHealth", title, description = "", jurisdiction,
        location = new { latitude = 30.6, longitude = 114.3 }, occurredAt = DateTimeOffset.UtcNow.AddHours(-2).ToString("O"), source = "Hospital",
    };

    /// <summary>A time as the browser's datetime-local input takes it, in Beijing time.</summary>
    private static string Beijing(Duration fromNow) =>
        (SystemClock.Instance.GetCurrentInstant() + fromNow).InZone(DateTimeZoneProviders.Tzdb["Asia/Shanghai"]).ToString("yyyy-MM-dd'T'HH:mm", null);

    [Fact]
    public async Task An_open_console_whose_sign_in_was_ended_by_a_password_change_sends_its_user_to_sign_in()
    {
        using var admin = await console.As("admin");
        await admin.Post("/api/users", new
        {
            username = "desk.qian", displayName = "Qian", password = "a long enough password", roles = new[] { "Commander" },
            jurisdictions = new[] { "420100" },
        });
        var page = await Browser.SignIn("desk.qian", password: "a long enough password");
        await Browser.Explaining(async () =>
        {
            await Browser.Open(page, "incidents");
            await admin.Post("/api/users/desk.qian/password", new { newPassword = "changed by the administrator" });
            // The circuit checks its sign-in every two seconds on this server; the page then leaves for the sign-in form.
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"), new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("#signin-ended")).ToBeVisibleAsync();
        }, page);
        NoPageErrors();
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
