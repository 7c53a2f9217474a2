using System.Globalization;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace PaperBot.Testing.FakeDiscord;

/// <summary>
/// Signs Interactions Endpoint requests as Discord does: a freshly generated Ed25519 key pair (the application's), and
/// <c>X-Signature-Ed25519</c> = hex(sign(timestamp + body)) with <c>X-Signature-Timestamp</c> = Unix seconds.
/// </summary>
public sealed class DiscordRequestSigner
{
    private readonly Ed25519PrivateKeyParameters _key;

    public DiscordRequestSigner()
    {
        _key = new Ed25519PrivateKeyParameters(new SecureRandom());
        PublicKeyHex = Convert.ToHexStringLower(_key.GeneratePublicKey().GetEncoded());
    }

    /// <summary>What the Developer Portal shows as the application's Public Key (Discord:PublicKey).</summary>
    public string PublicKeyHex { get; }

    public string Sign(string timestamp, ReadOnlySpan<byte> body)
    {
        var stamp = Encoding.UTF8.GetBytes(timestamp);
        var message = new byte[stamp.Length + body.Length];
        stamp.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(stamp.Length));
        var signer = new Ed25519Signer();
        signer.Init(true, _key);
        signer.BlockUpdate(message, 0, message.Length);
        return Convert.ToHexStringLower(signer.GenerateSignature());
    }

    /// <summary>A signed POST of <paramref name="body"/> to the endpoint, stamped at <paramref name="at"/>.</summary>
    public HttpRequestMessage SignedRequest(Uri endpoint, byte[] body, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Signature-Ed25519", Sign(timestamp, body));
        request.Headers.Add("X-Signature-Timestamp", timestamp);
        request.Headers.UserAgent.ParseAdd("Discord-Interactions/1.0 (+https://discord.com)");
        return request;
    }
}
