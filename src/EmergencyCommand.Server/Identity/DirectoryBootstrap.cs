using EmergencyCommand.Domain.Identity;
using EmergencyCommand.Domain.Shared;
using EmergencyCommand.Server.Platform;
using Microsoft.Extensions.Options;

namespace EmergencyCommand.Server.Identity;

/// <summary>
/// Registers the users given in configuration (the first Administrator of an installation, and the demo users with the
/// demo configuration) that the directory does not know yet, through the same command an administrator uses. Signing in
/// waits for it. Users registered once are never changed from configuration again: the directory is the truth.
/// </summary>
public sealed class DirectoryBootstrap(IServiceProvider services, UserDirectory directory, IOptions<AuthOptions> auth, IOptions<DemoOptions> demo,
    IHostApplicationLifetime lifetime, ILogger<DirectoryBootstrap> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // The write path needs Wolverine's runtime, which starts with the host.
            await lifetime.Started(stoppingToken);

            var configured = auth.Value.Users.Concat(demo.Value.Enabled ? demo.Value.Users : []).ToList();
            await using var scope = services.CreateAsyncScope();
            var streams = scope.ServiceProvider.GetRequiredService<EventStreams>();
            var registered = 0;
            foreach (var user in configured)
            {
                if (await directory.Find(user.Username, stoppingToken) is not null) continue;
                try
                {
                    await Registration.Register(streams, CommandContext.Server(), [Role.System], Usernames.Normalize(user.Username),
                        user.DisplayName ?? user.Username, user.PasswordHash, user.Roles, user.Jurisdictions, stoppingToken);
                    directory.Forget(user.Username);
                    registered++;
                }
                catch (ProblemException e) when (e.Status == 409)
                {
                    // Another server process registered them first.
                }
            }
            if (registered > 0) log.LogInformation("Registered {Count} configured users in the directory", registered);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            log.LogError(e, "The configured users could not be registered; signing in works for users already in the directory");
        }
        finally
        {
            directory.MarkBootstrapped();
        }
    }
}
