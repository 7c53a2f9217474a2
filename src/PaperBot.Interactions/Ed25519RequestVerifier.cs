using System.Text;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace PaperBot.Interactions;

/// <summary>
/// Discord's request signature: <c>X-Signature-Ed25519</c> is the hex Ed25519 signature, by the application's key, of the
/// bytes of <c>X-Signature-Timestamp</c> followed by the raw body. Verified with BouncyCastle (the BCL has no Ed25519).
/// </summary>
public sealed class Ed25519RequestVerifier
{
    private readonly byte[] _publicKey;

    public Ed25519RequestVerifier(string publicKeyHex)
    {
        _publicKey = Convert.FromHexString(publicKeyHex);
        if (_publicKey.Length != Ed25519.PublicKeySize)
        {
            throw new ArgumentException($"An Ed25519 public key has {Ed25519.PublicKeySize} bytes, got {_publicKey.Length}.", nameof(publicKeyHex));
        }
    }

    /// <summary>False for a missing, malformed or wrong signature; never throws on bad input.</summary>
    public bool Verify(string? signatureHex, string? timestamp, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(signatureHex) || string.IsNullOrEmpty(timestamp) || signatureHex.Length != Ed25519.SignatureSize * 2)
        {
            return false;
        }

        byte[] signature;
        try
        {
            signature = Convert.FromHexString(signatureHex);
        }
        catch (FormatException)
        {
            return false;
        }

        var stamp = Encoding.UTF8.GetBytes(timestamp);
        var message = new byte[stamp.Length + body.Length];
        stamp.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(stamp.Length));
        return Ed25519.Verify(signature, 0, _publicKey, 0, message, 0, message.Length);
    }
}
