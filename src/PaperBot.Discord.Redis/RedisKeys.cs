using System.Security.Cryptography;
using System.Text;

namespace PaperBot.Discord.Redis;

/// <summary>Key names: per bot token (a hash, never the token), so two bots on one Redis keep separate budgets.</summary>
internal static class RedisKeys
{
    public static string Scope(string prefix, string token) =>
        $"{prefix}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..16]}";
}
