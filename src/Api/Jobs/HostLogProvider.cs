using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace Benefit.Api.Jobs;

/// <summary>
/// Hangfire keeps one log provider for the whole process. Where several hosts share a process (the API tests) the host that
/// set it last may be gone and its logger factory disposed; a job enqueued then would fail with ObjectDisposedException.
/// This provider falls back to not logging instead.
/// </summary>
public sealed class HostLogProvider(ILoggerFactory factory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(factory);

    public ILog GetLogger(string name)
    {
        try
        {
            return _inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
