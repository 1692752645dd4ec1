using Tessera.Cli.Config;

namespace Tessera.Cli.Tests;

/// <summary>The config file itself: that a damaged one is named with a fix, and that saving replaces it whole.</summary>
public sealed class ConfigStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tessera-cli-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void A_missing_file_is_an_empty_config_with_the_default_context()
    {
        var config = new ConfigStore(Path.Combine(_directory, "config.json")).Load();

        Assert.Empty(config.Contexts);
        Assert.Equal(CliConfig.DefaultContext, config.CurrentContext);
    }

    [Fact]
    public void A_damaged_file_is_a_message_naming_it_and_the_fix()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "config.json");
        File.WriteAllText(path, "{ not json");

        var error = Assert.Throws<CliException>(() => new ConfigStore(path).Load());

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("fix or delete it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Saving_replaces_the_file_and_reads_back_what_was_saved()
    {
        var store = new ConfigStore(Path.Combine(_directory, "nested", "config.json"));
        var expires = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var first = new CliConfig { Contexts = { ["a"] = new SavedSession { Address = "https://a:1", AccessToken = "t", AccessTokenExpiresAt = expires } } };
        store.Save(first);
        store.Save(first with { CurrentContext = "a" });

        var loaded = store.Load();

        Assert.Equal("a", loaded.CurrentContext);
        Assert.Equal(first.Contexts["a"], loaded.Contexts["a"]);
        Assert.Equal(["config.json"], Directory.GetFiles(Path.Combine(_directory, "nested")).Select(Path.GetFileName));
    }
}
