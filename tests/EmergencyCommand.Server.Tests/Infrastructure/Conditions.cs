namespace EmergencyCommand.Server.Tests.Infrastructure;

public static class Conditions
{
    /// <summary>
    /// Waits until the condition holds (checked every tenth of a second), at most a generous bound for a loaded machine;
    /// <paramref name="detail"/> says what was going on when it did not.
    /// </summary>
    public static async Task Eventually(Func<Task<bool>> condition, int seconds = 30, Func<string>? detail = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"The condition did not hold within {seconds} s{(detail is null ? "" : ":\n" + detail())}");
            await Task.Delay(100);
        }
    }
}
