using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperBot.Telemetry;

namespace PaperBot.Tests;

public sealed class TelemetryOptionsTests
{
    private static TelemetryOptions Bind(params (string Key, string Value)[] settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
        using var sp = new ServiceCollection().AddSingleton<IConfiguration>(config).AddPaperBotTelemetry().BuildServiceProvider();
        return sp.GetRequiredService<IOptions<TelemetryOptions>>().Value;
    }

    [Fact]
    public void Defaults_are_off_on_loopback_with_prometheus_and_no_sensitive_data()
    {
        var o = Bind();
        Assert.False(o.Enabled);
        Assert.Equal("http://127.0.0.1:9464", o.Urls);
        Assert.True(o.Prometheus);
        Assert.False(o.SensitiveData);
        Assert.Null(o.OtlpEndpoint);
    }

    [Theory]
    [InlineData("http://0.0.0.0:9464")]
    [InlineData("http://192.0.2.10:9464")]
    [InlineData("http://metrics.example:9464")]
    public void A_non_loopback_address_is_refused_unless_AllowRemote(string url)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Bind(("Telemetry:Urls", url)));
        Assert.Contains("Telemetry:Urls", ex.Message);
        Assert.Contains("Telemetry:AllowRemote=true", ex.Message);
        Assert.Equal(url, Bind(("Telemetry:Urls", url), ("Telemetry:AllowRemote", "true")).Urls);
    }

    [Theory]
    [InlineData("http://localhost:9464")]
    [InlineData("http://[::1]:0")]
    [InlineData("http://127.0.0.2:9464")]
    public void Loopback_addresses_are_accepted(string url) => Assert.Equal(url, Bind(("Telemetry:Urls", url)).Urls);

    [Theory]
    [InlineData("Telemetry:Urls", "not a url", "is not an http URL")]
    [InlineData("Telemetry:OtlpEndpoint", "collector:4317", "Telemetry:OtlpEndpoint")]
    [InlineData("Telemetry:OtlpProtocol", "udp", "must be grpc or http")]
    public void Bad_values_name_the_key(string key, string value, string message)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Bind((key, value)));
        Assert.Contains(message, ex.Message);
    }
}
