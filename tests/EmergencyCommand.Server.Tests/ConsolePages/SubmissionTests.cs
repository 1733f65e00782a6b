using System.Net;
using EmergencyCommand.Server.Ui;

namespace EmergencyCommand.Server.Tests.ConsolePages;

/// <summary>A form's submission: one request at a time, one idempotency key per intended action, the problem kept for the fields.</summary>
public sealed class SubmissionTests
{
    private static ApiResult<string> Answer(HttpStatusCode status, params (string Field, string Message)[] errors) => new(status,
        (int)status < 300 ? "ok" : null,
        (int)status < 300 ? null : new ApiProblem("problem", "detail", null, errors.ToDictionary(e => e.Field, e => new[] { e.Message })),
        new Dictionary<string, string>());

    [Fact]
    public async Task A_second_click_while_the_first_runs_sends_nothing()
    {
        var submission = new Submission();
        var release = new TaskCompletionSource<ApiResult<string>>();
        var sent = 0;
        var first = submission.Run(_ => { sent++; return release.Task; });
        (await submission.Run(_ => { sent++; return Task.FromResult(Answer(HttpStatusCode.OK)); })).Should().BeNull();
        release.SetResult(Answer(HttpStatusCode.OK));
        (await first)!.Ok.Should().BeTrue();
        sent.Should().Be(1);
    }

    [Fact]
    public async Task A_retry_after_a_server_failure_carries_the_same_key_and_the_next_action_a_new_one()
    {
        var submission = new Submission();
        var keys = new List<string>();
        await submission.Run(s => { keys.Add(s.IdempotencyKey); return Task.FromResult(Answer(HttpStatusCode.ServiceUnavailable)); });
        await submission.Run(s => { keys.Add(s.IdempotencyKey); return Task.FromResult(Answer(HttpStatusCode.OK)); });
        await submission.Run(s => { keys.Add(s.IdempotencyKey); return Task.FromResult(Answer(HttpStatusCode.OK)); });
        keys[1].Should().Be(keys[0], "the same action tried again is the same request");
        keys[2].Should().NotBe(keys[1], "after it was recorded, the next submission is a new action");
    }

    [Fact]
    public async Task A_refusal_keeps_each_fields_error_and_a_412_marks_the_page_stale()
    {
        var submission = new Submission { IfMatch = 3 };
        await submission.Run(_ => Task.FromResult(Answer(HttpStatusCode.BadRequest, ("rationale", "is required"))));
        submission.ErrorFor("Rationale").Should().Be("is required");
        submission.HasError("level").Should().BeFalse();
        submission.Stale.Should().BeFalse();

        await submission.Run(_ => Task.FromResult(Answer(HttpStatusCode.PreconditionFailed)));
        submission.Stale.Should().BeTrue();
        submission.Clear();
        submission.Stale.Should().BeFalse();
        submission.Problem.Should().BeNull();
    }
}
