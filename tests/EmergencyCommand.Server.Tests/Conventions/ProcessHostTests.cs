using System.Net;
using System.Net.Http.Json;
using EmergencyCommand.Server.Tests.Infrastructure;
using Npgsql;

namespace EmergencyCommand.Server.Tests.Conventions;

/// <summary>What only a real server process can show: readiness that follows PostgreSQL, and a refused unsafe start.</summary>
[Trait(Speed.Trait, Speed.Slow)]
public sealed class ProcessHostTests
{
    [Fact]
    public async Task Ready_turns_503_when_postgres_stops_answering_while_live_stays_200()
    {
        await using var server = await ServerProcess.StartOnFreshDatabase();
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        (await http.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);

        // The server's database disappears (its connections are cut), as when PostgreSQL goes away.
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres" }.ConnectionString))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop database {server.Database} with (force)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        var ready = await http.GetAsync("/health/ready");
        ready.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await ready.Content.ReadAsStringAsync()).Should().Be("Unhealthy");
        (await http.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Demo_users_are_refused_in_production_before_the_server_listens()
    {
        var start = () => ServerProcess.StartOnFreshDatabase(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Auth__SigningKey"] = "a production signing key of at least thirty-two bytes",
            ["Demo__Enabled"] = "true",
        });
        (await start.Should().ThrowAsync<InvalidOperationException>()).Which.Message
            .Should().Contain("Demo:Enabled must never be on in Production");
    }

    [Fact]
    public async Task A_signing_key_published_in_the_repository_is_refused_beyond_loopback()
    {
        // As `ops/run --urls http://0.0.0.0:8080` would start it, with the demo configuration's key.
        var (exitCode, output) = await StartedBeyondLoopback();
        exitCode.Should().NotBe(0);
        output.Should().Contain("signing key is the one published in this repository").And.Contain("0.0.0.0");
    }

    [Fact]
    public async Task A_pass_code_key_published_in_the_repository_is_refused_beyond_loopback_and_none_at_all_in_production()
    {
        // The demo's pass code key, with a signing key of its own so that it is the pass code key that is refused.
        var (exitCode, output) = await StartedBeyondLoopback(("Auth__SigningKey", "a signing key of this installation's own, not the demo's"));
        exitCode.Should().NotBe(0);
        output.Should().Contain("pass code key is the one published in this repository").And.Contain("0.0.0.0");

        var start = () => ServerProcess.StartOnFreshDatabase(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Auth__SigningKey"] = "a production signing key of at least thirty-two bytes",
        });
        (await start.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("GreenChannels:PassCodeKey is not set");
    }

    [Fact]
    public async Task Over_https_with_a_configured_certificate_the_session_cookie_is_secure_and_hsts_is_sent()
    {
        var certificate = Path.Combine(Path.GetTempPath(), $"ec-test-{Guid.NewGuid():N}.pfx");
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=127.0.0.1", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        var san = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var issued = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllBytesAsync(certificate, issued.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "test"));
        try
        {
            await using var server = await ServerProcess.StartOnFreshDatabase(new Dictionary<string, string>
            {
                ["Kestrel__Certificates__Default__Path"] = certificate,
                ["Kestrel__Certificates__Default__Password"] = "test",
            }, https: true);
            // Trust exactly this certificate, as a client given it would.
            using var http = new HttpClient(new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == issued.Thumbprint,
            }) { BaseAddress = new Uri(server.BaseUrl) };
            (await http.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);

            var antiforgery = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync("/api/auth/antiforgery"))!;
            using var signIn = new HttpRequestMessage(HttpMethod.Post, "/api/auth/session")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { username = "wuhan", password = "demo" }),
            };
            signIn.Headers.Add(antiforgery["headerName"]!.ToString(), antiforgery["token"]!.ToString());
            var answer = await http.SendAsync(signIn);
            answer.StatusCode.Should().Be(HttpStatusCode.OK);
            answer.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ec.session=")).ToLowerInvariant()
                .Should().Contain("secure").And.Contain("httponly").And.Contain("samesite=strict");
            answer.Headers.GetValues("Strict-Transport-Security").Should().ContainSingle();
        }
        finally
        {
            File.Delete(certificate);
        }
    }

    [Fact]
    public async Task In_production_the_first_administrator_comes_from_configuration_with_a_hash_from_the_command_line()
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "EmergencyCommand.Server.dll"), "hash-password"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        using var hashing = System.Diagnostics.Process.Start(info)!;
        await hashing.StandardInput.WriteLineAsync("the first administrator's password");
        hashing.StandardInput.Close();
        var hash = (await hashing.StandardOutput.ReadToEndAsync()).Trim();
        await hashing.WaitForExitAsync();
        hashing.ExitCode.Should().Be(0);

        await using var server = await ServerProcess.StartOnFreshDatabase(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Auth__SigningKey"] = "a production signing key of at least thirty-two bytes",
            ["GreenChannels__PassCodeKey"] = "a production pass code key of at least thirty-two bytes",
            ["Auth__Users__0__Username"] = "chief.admin",
            ["Auth__Users__0__PasswordHash"] = hash,
            ["Auth__Users__0__Roles__0"] = "Administrator",
            ["Auth__Users__0__Jurisdictions__0"] = "000000",
        });
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        (await http.PostAsJsonAsync("/api/auth/token", new { username = "chief.admin", password = "the first administrator's password" }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        (await http.PostAsJsonAsync("/api/auth/token", new { username = "wuhan", password = "demo" }))
            .StatusCode.Should().Be(HttpStatusCode.Unauthorized, "no demo user exists in production");
    }

    /// <summary>
    /// The server started in Demo on every address, with the demo configuration's keys unless <paramref name="settings"/>
    /// give others; it must stop before it reaches the database. Its exit code and everything it printed.
    /// </summary>
    private static async Task<(int ExitCode, string Output)> StartedBeyondLoopback(params (string Key, string Value)[] settings)
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "EmergencyCommand.Server.dll"), "--urls", "http://0.0.0.0:0"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Demo";
        info.Environment["ConnectionStrings__Marten"] = "Host=127.0.0.1;Port=1;Database=none"; // never reached: it stops before
        foreach (var (key, value) in settings) info.Environment[key] = value;
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60))) await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }
}
