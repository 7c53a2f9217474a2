using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PaperBot.Discord.Models;

/// <summary>Snowflakes are <see cref="ulong"/> in .NET and strings on the wire (Discord also accepts reading numbers).</summary>
public sealed class SnowflakeConverter : JsonConverter<ulong>
{
    public override ulong Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetUInt64();
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            var span = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
            if (Utf8Parser.TryParse(span, out ulong value, out var consumed) && consumed == span.Length)
            {
                return value;
            }
        }

        throw new JsonException("Expected a snowflake (a string of digits).");
    }

    public override void Write(Utf8JsonWriter writer, ulong value, JsonSerializerOptions options)
    {
        Span<byte> buffer = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, buffer, out var written);
        writer.WriteStringValue(buffer[..written]);
    }

    public override ulong ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => ulong.Parse(reader.GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, ulong value, JsonSerializerOptions options)
        => writer.WritePropertyName(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
