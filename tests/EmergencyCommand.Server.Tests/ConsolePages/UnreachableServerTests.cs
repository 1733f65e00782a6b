using System.Net;
using System.Net.Sockets;
using Bunit;
using EmergencyCommand.Server.Tests.Infrastructure;
using EmergencyCommand.Server.Ui;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace EmergencyCommand.Server.Tests.ConsolePages;

/// <summary>
/// A page whose API call meets no answer (a restart, a failover, a timeout under load) says so beside the form and keeps
/// its submission's idempotency key; the exception never reaches Blazor, where it would end the user's circuit.
/// Real sockets on loopback: a port nobody listens on, and a listener that accepts and never answers.
/// </summary>
public sealed class UnreachableServerTests : IAsyncLifetime
{
    private readonly BunitContext _bunit = new();

    public UnreachableServerTests()
    {
        _bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        _bunit.Services.AddMudServices();
        _bunit.Services.AddScoped<Texts>();
        _bunit.Services.AddScoped<ApiReachability>();
        _bunit.AddAuthorization().SetAuthorized("checkpoint");
        _bunit.Services.AddSingleton<IAccessTokens>(new FixedToken());
        // The notice asks the API only about a stale page; this one is never stale.
        _bunit.Services.AddScoped(sp => ApiAt(sp, ServerProcess.FreePort(), TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task While_the_server_cannot_be_reached_every_page_says_so_above_it_and_the_notice_goes_with_the_next_answer()
    {
        // given the console's layout, whose first call (the user's language) meets no answer
        var layout = _bunit.Render<EmergencyCommand.Server.Ui.Layout.MainLayout>(p => p.Add(l => l.Body, (Microsoft.AspNetCore.Components.RenderFragment)(b => b.AddContent(0, "page"))));

        // then
        layout.WaitForAssertion(() => layout.Find("[data-testid=unreachable]").TextContent.Should().Contain("无法连接服务器"));

        // when a later call is answered (a listener that answers every request with an empty JSON object)
        using var answering = new TcpListener(IPAddress.Loopback, 0);
        answering.Start();
        var answers = AnswerEach(answering);
        var api = ApiAt(_bunit.Services, ((IPEndPoint)answering.LocalEndpoint).Port, TimeSpan.FromSeconds(30));
        (await api.Get<object>("/api/checkpoints")).Ok.Should().BeTrue();

        // then the notice is gone
        layout.WaitForAssertion(() => layout.FindAll("[data-testid=unreachable]").Should().BeEmpty());
        answering.Stop();
        await answers.ContinueWith(_ => { });
    }

    private static async Task AnswerEach(TcpListener listener)
    {
        while (true)
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var buffer = new byte[8192];
            int read = 0, n;
            while (!System.Text.Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n") && (n = await stream.ReadAsync(buffer.AsMemory(read))) > 0)
                read += n;
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"u8.ToArray());
        }
    }

    [Fact]
    public async Task A_refused_connection_is_a_problem_on_the_page_and_the_retry_carries_the_same_key()
    {
        // given a port that was free a moment ago and has nobody listening
        var api = ApiAt(_bunit.Services, ServerProcess.FreePort(), TimeSpan.FromSeconds(30));
        var submission = new Submission();
        var key = submission.IdempotencyKey;

        // when a pass is checked
        var result = await submission.Run(s => api.Post<object>("/api/green-channels/x/checkpoints/y/passages", new { passCode = "c" }, s));

        // then
        result!.Status.Should().Be(HttpStatusCode.ServiceUnavailable);
        result.Problem!.Rule.Should().Be(ApiProblem.Unreachable);
        submission.IdempotencyKey.Should().Be(key, "whether it was recorded is unknown, so trying again must be the same request");
        var notice = _bunit.Render<ProblemNotice>(p => p.Add(n => n.Of, submission));
        notice.Find("[data-testid=problem]").TextContent.Should().Contain("无法连接服务器").And.Contain("不会重复记录");
    }

    [Fact]
    public async Task A_server_that_does_not_answer_in_time_is_a_problem_but_the_callers_own_cancellation_still_cancels()
    {
        // given a listener that accepts connections and never answers
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var api = ApiAt(_bunit.Services, port, TimeSpan.FromMilliseconds(300));

        // when the client's own timeout passes
        var result = await api.Get<object>("/api/checkpoints");

        // then
        result.Status.Should().Be(HttpStatusCode.ServiceUnavailable);
        result.Problem!.Rule.Should().Be(ApiProblem.Unreachable);

        // and a page that goes away (its token cancelled) is not told about an unreachable server
        using var gone = new CancellationTokenSource();
        gone.Cancel();
        await FluentActions.Awaiting(() => ApiAt(_bunit.Services, port, TimeSpan.FromSeconds(30)).Get<object>("/api/checkpoints", gone.Token))
            .Should().ThrowAsync<OperationCanceledException>();
        silent.Stop();
    }

    private static ConsoleApi ApiAt(IServiceProvider services, int port, TimeSpan timeout) =>
        new(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = timeout },
            services.GetRequiredService<IAccessTokens>(), services.GetRequiredService<AuthenticationStateProvider>(), services.GetRequiredService<ApiReachability>(),
            new Texts());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _bunit.DisposeAsync();

    /// <summary>No server is there to check it.</summary>
    private sealed class FixedToken : IAccessTokens
    {
        public Task<string> For(System.Security.Claims.ClaimsPrincipal user, CancellationToken ct) => Task.FromResult("token");
    }
}
