using System.Runtime.InteropServices;

namespace PaperBot.Core.Search.Synthetic;

/// <summary>
/// CPU time consumed by the calling thread (Linux getrusage(RUSAGE_THREAD), microsecond resolution), so a benchmark
/// can report the work a query costs separately from waiting for a busy, shared CPU. Unavailable elsewhere.
/// </summary>
public static class ThreadCpuClock
{
    private const int RusageThread = 1;

    public static bool IsAvailable { get; } = Probe();

    /// <summary>Thread CPU time (user + system) in milliseconds, or NaN when unavailable.</summary>
    public static double NowMs()
    {
        if (!IsAvailable || getrusage(RusageThread, out var u) != 0)
        {
            return double.NaN;
        }

        return (u.UserSec + u.SysSec) * 1000.0 + (u.UserUsec + u.SysUsec) / 1000.0;
    }

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
        {
            return false;
        }

        try
        {
            return getrusage(RusageThread, out _) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    // struct rusage on 64-bit Linux: two timevals (long, long) then 14 longs.
    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSec;
        public long UserUsec;
        public long SysSec;
        public long SysUsec;
        public long MaxRss;
        public long IxRss;
        public long IdRss;
        public long IsRss;
        public long MinFlt;
        public long MajFlt;
        public long NSwap;
        public long InBlock;
        public long OuBlock;
        public long MsgSnd;
        public long MsgRcv;
        public long NSignals;
        public long NvCsw;
        public long NivCsw;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out RUsage usage);
}
