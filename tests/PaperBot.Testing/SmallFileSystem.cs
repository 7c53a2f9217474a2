using System.Diagnostics;

namespace PaperBot.Testing;

/// <summary>
/// A real, tiny tmpfs mounted in a temp folder, for full-disk and read-only-mount tests (as root, which CI is).
/// Where mounting is not permitted, <see cref="TryCreate"/> says why, and the test reports Skipped with that reason.
/// </summary>
public sealed class SmallFileSystem : IDisposable
{
    private SmallFileSystem(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public static SmallFileSystem? TryCreate(int sizeKb, out string reason)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "paperbot-tests", "fs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsLinux())
        {
            reason = "tmpfs mounts need Linux";
            return null;
        }

        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={sizeKb}k", "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            reason = $"cannot mount a tmpfs here (needs root): {output.Trim()}";
            return null;
        }

        reason = "";
        return new SmallFileSystem(path);
    }

    /// <summary>Remounts the file system read-only (every write then fails with EROFS, also for root).</summary>
    public void RemountReadOnly() => Check(Run("mount", "-o", "remount,ro", Path));

    /// <summary>Fills the file system with one file, leaving about <paramref name="leaveBytes"/> free.</summary>
    public void Fill(long leaveBytes = 0)
    {
        var info = new DriveInfo(Path);
        var toWrite = Math.Max(0, info.AvailableFreeSpace - leaveBytes);
        using var fs = new FileStream(File("filler.bin"), FileMode.Create, FileAccess.Write);
        var block = new byte[64 * 1024];
        try
        {
            while (toWrite > 0)
            {
                var n = (int)Math.Min(block.Length, toWrite);
                fs.Write(block, 0, n);
                toWrite -= n;
            }

            fs.Flush(true);
        }
        catch (IOException)
        {
            // full already
        }
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void Check((int Code, string Output) r)
    {
        if (r.Code != 0)
        {
            throw new InvalidOperationException(r.Output);
        }
    }

    private static (int Code, string Output) Run(string file, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }
}
