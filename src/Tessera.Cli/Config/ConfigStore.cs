using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.Cli.Config;

/// <summary>
/// Reads and writes the config file: <c>$TESSERA_CONFIG</c>, else <c>$XDG_CONFIG_HOME/tessera/config.json</c>,
/// else <c>~/.config/tessera/config.json</c>. It holds tokens, so it is written mode 0600 in a directory made
/// 0700, and atomically (a temporary file renamed over it), so a crash never leaves half a file.
/// </summary>
internal sealed class ConfigStore(string path)
{
    public const string PathVariable = "TESSERA_CONFIG";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    };

    public string Path { get; } = path;

    /// <summary>The store at the path the environment names.</summary>
    public static ConfigStore FromEnvironment()
    {
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured)
        {
            return new ConfigStore(configured);
        }

        var configHome = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return new ConfigStore(System.IO.Path.Combine(configHome, "tessera", "config.json"));
    }

    private void CreateDirectory()
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        if (Directory.Exists(directory))
        {
            return;
        }

        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot make the config directory {directory}: {e.Message}", e);
        }
    }

    /// <summary>The saved config; an empty one when there is no file yet.</summary>
    public CliConfig Load()
    {
        try
        {
            using var stream = File.OpenRead(Path);
            return JsonSerializer.Deserialize<CliConfig>(stream, Json) ?? new CliConfig();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new CliConfig();
        }
        catch (JsonException e)
        {
            throw new CliException($"the config file {Path} is not valid JSON ({e.Message}); fix or delete it", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the config file {Path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Holds the config's lock file (<c>config.json.lock</c>) until disposed, so that two tessera processes never
    /// spend the same refresh token (the server would take the second use for a stolen token and end the sign-in).
    /// </summary>
    public async Task<IDisposable> LockAsync(CancellationToken cancellationToken)
    {
        CreateDirectory();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                return new FileStream(Path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new CliException($"another tessera process holds {Path}.lock; try again", e);
            }
        }
    }

    public void Save(CliConfig config)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Environment.ProcessId}.tmp");
        try
        {
            CreateDirectory();
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                JsonSerializer.Serialize(stream, config, Json);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new CliException($"cannot write the config file {Path}: {e.Message}", e);
        }
    }
}
