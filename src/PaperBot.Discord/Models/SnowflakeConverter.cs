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

/// <summary>
/// A list of snowflakes that tolerates foreign entries: an object is read by its "id", anything else is skipped. Skipped
/// entries are counted per thread in <see cref="Skipped"/> so the dispatcher can log them after deserializing an event.
/// </summary>
public sealed class LenientSnowflakeListConverter : JsonConverter<List<ulong>>
{
    [ThreadStatic] private static int _skipped;

    /// <summary>Entries skipped on this thread since the last <see cref="TakeSkipped"/>.</summary>
    public static int Skipped => _skipped;

    public static int TakeSkipped()
    {
        var n = _skipped;
        _skipped = 0;
        return n;
    }

    public override List<ulong> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var list = new List<ulong>();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return list;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            _skipped++;
            return list;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String when ulong.TryParse(reader.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id):
                    list.Add(id);
                    break;
                case JsonTokenType.Number when reader.TryGetUInt64(out var n):
                    list.Add(n);
                    break;
                case JsonTokenType.StartObject:
                    using (var doc = JsonDocument.ParseValue(ref reader))
                    {
                        if (doc.RootElement.TryGetProperty("id", out var idProp)
                            && ulong.TryParse(idProp.ValueKind == JsonValueKind.String ? idProp.GetString() : idProp.GetRawText(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var oid))
                        {
                            list.Add(oid);
                        }
                        else
                        {
                            _skipped++;
                        }
                    }

                    break;
                default:
                    reader.Skip();
                    _skipped++;
                    break;
            }
        }

        return list;
    }

    public override void Write(Utf8JsonWriter writer, List<ulong> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var id in value)
        {
            writer.WriteStringValue(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        writer.WriteEndArray();
    }
}
