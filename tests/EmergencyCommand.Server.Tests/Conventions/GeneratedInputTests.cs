using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;
using EmergencyCommand.Server.Tests.Infrastructure;

namespace EmergencyCommand.Server.Tests.Conventions;

/// <summary>
/// Every route of the OpenAPI document, driven with generated bodies, query strings and headers (CsCheck): no answer is
/// a 5xx, and the audit chain still verifies afterwards. Field names and query parameters come from the document
/// itself, so generated bodies reach the validation of each field, not only the JSON reader.
/// </summary>
[Trait(Speed.Trait, Speed.Slow)]
public sealed class GeneratedInputTests(AppFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : ServerTest(fixture)
{
    private const int Requests = 10_000;

    [Fact]
    public async Task Ten_thousand_generated_requests_over_every_route_get_no_5xx_and_the_audit_chain_still_verifies()
    {
        var incident = await Verified();
        var document = (await Reviewer.Get("/openapi/v1.json")).ShouldBe(HttpStatusCode.OK).Json;
        var routes = Operations(document).ToList();
        routes.Should().HaveCountGreaterThan(40);
        var fields = Names(document["components"]?["schemas"], "properties").Append("lines").Append("item").Distinct().ToArray();
        var parameters = Names(document["paths"], "parameters").Concat(["asOf", "on", "q", "limit", "offset", "status", "jurisdiction", "from", "to"])
            .Distinct().ToArray();
        var users = new[] { National, Wuhan, Reporter, Logistics, Reviewer, As("admin"), As("checkpoint"), Responder };
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();

        await Gen.Select(Gen.Int[0, routes.Count - 1], Gen.Int[0, users.Length - 1], Gen.Int)
            .SampleAsync(async (route, user, seed) =>
            {
                var (method, path) = routes[route];
                var random = new Random(seed);
                var url = Url(path, random, incident) + Query(random, parameters);
                var body = method == "GET" ? null : Json(random, fields, depth: 0)?.ToJsonString() ?? "null";
                var answer = await users[user].Send(new HttpMethod(method), url, body, headers =>
                {
                    if (random.Next(4) == 0) headers.TryAddWithoutValidation("If-Match", Text(random, 12));
                    if (random.Next(3) == 0) headers.TryAddWithoutValidation("Idempotency-Key", Text(random, 40));
                });
                lock (statuses) statuses[(int)answer.Status] = statuses.GetValueOrDefault((int)answer.Status) + 1;
                if ((int)answer.Status >= 500)
                    lock (failures) failures.Add($"{method} {url} {(body is null ? "" : body[..Math.Min(200, body.Length)])} → {answer}");
            }, iter: Requests, threads: 1);

        output.WriteLine(string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        failures.Should().BeEmpty();
        // The generated requests reached past the edge: some were accepted, many refused field by field.
        statuses.Where(s => s.Key is >= 200 and < 300).Sum(s => s.Value).Should().BePositive();
        statuses.GetValueOrDefault(400).Should().BeGreaterThan(Requests / 10);
        await Settled();
        var verification = (await Reviewer.Get("/api/audit/verification")).ShouldBe(HttpStatusCode.OK).Json;
        verification["valid"]!.GetValue<bool>().Should().BeTrue(verification.ToJsonString());
    }

    private static IEnumerable<(string Method, string Path)> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(op => op.Key is "get" or "post" or "put" or "delete" or "patch")
            .Select(op => (op.Key.ToUpperInvariant(), path.Key)))
            .Where(r => r.Item2.StartsWith("/api/", StringComparison.Ordinal) && r.Item2 != "/api/situation/live");

    /// <summary>Every name under a <paramref name="kind"/> anywhere below <paramref name="node"/> (property names, parameter names).</summary>
    private static IEnumerable<string> Names(JsonNode? node, string kind) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == kind && p.Value is JsonObject props ? props.Select(x => x.Key).Concat(Names(p.Value, kind))
            : p.Key == kind && p.Value is JsonArray list ? list.Select(x => (string?)x?["name"]).OfType<string>()
            : Names(p.Value, kind)),
        JsonArray a => a.SelectMany(x => Names(x, kind)),
        _ => [],
    };

    private static string Url(string path, Random random, Guid incident) => Regex.Replace(path, @"\{(\w+)[^}]*\}", m => random.Next(5) switch
    {
        0 => incident.ToString(),
        1 => Guid.NewGuid().ToString(),
        // (A NUL in the path never reaches the application: Kestrel refuses the request line, and so does the test host.)
        2 => Uri.EscapeDataString(Text(random, 10).Replace("\0", "")),
        3 => random.Next(2) == 0 ? "420100" : "000000",
        _ => m.Groups[1].Value == "username" ? "wuhan" : "K1",
    });

    private static string Query(Random random, string[] parameters)
    {
        var count = random.Next(4);
        if (count == 0) return "";
        return "?" + string.Join("&", Enumerable.Range(0, count).Select(_ =>
            $"{parameters[random.Next(parameters.Length)]}={Uri.EscapeDataString(Scalar(random))}"));
    }

    private static JsonNode? Json(Random random, string[] fields, int depth) => random.Next(depth > 2 ? 3 : 8) switch
    {
        0 => JsonValue.Create(Scalar(random)),
        1 => JsonValue.Create(Number(random)),
        2 => random.Next(3) == 0 ? null : JsonValue.Create(random.Next(2) == 0),
        3 or 4 or 5 or 6 => new JsonObject(Enumerable.Range(0, random.Next(1, 8)).Select(_ => fields[random.Next(fields.Length)]).Distinct()
            .Select(f => KeyValuePair.Create(f, Json(random, fields, depth + 1)))),
        _ => new JsonArray(Enumerable.Range(0, random.Next(4)).Select(_ => Json(random, fields, depth + 1)).ToArray()),
    };

    private static readonly string[] Awkward =
    [
        "", " ", "\0", "a\0b", "\ud800", "\udfff x", "NaN", "Infinity", "-1", "0", "9223372036854775807", "-9223372036854775808",
        "1e400", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2020-01-24T10:00:00+08:00", "I", "V", "Commander", "Administrator",
        "420100", "000000", "999999", "武汉市", "🌊", "' or 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "%00", "\"", "\\",
    ];

    private static string Scalar(Random random) => random.Next(3) switch
    {
        0 => Awkward[random.Next(Awkward.Length)],
        1 => Text(random, random.Next(2) == 0 ? 12 : 300),
        _ => DateTimeOffset.UtcNow.AddMinutes(random.Next(-100_000, 100_000)).ToString("yyyy-MM-ddTHH:mm:ssZ"),
    };

    private static double Number(Random random) => random.Next(4) switch
    {
        0 => random.Next(-5, 1_000),
        1 => random.NextDouble() * 400 - 200,
        2 => long.MaxValue,
        _ => 1e15 * random.Next(-3, 4),
    };

    private static string Text(Random random, int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
            text.Append(random.Next(6) switch
            {
                0 => (char)random.Next(0, 32),
                1 => (char)random.Next(0x4E00, 0x9FFF),
                2 => (char)random.Next(0xD800, 0xE000),
                _ => (char)random.Next(32, 127),
            });
        return text.ToString();
    }
}
