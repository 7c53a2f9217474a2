using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace PaperBot.Testing.FakeDiscord;

/// <summary>One field error in Discord's 50035 <c>errors</c> tree: the JSON pointer of the field, an error code and a message.</summary>
public sealed record SpecError(string Pointer, string Code, string Message)
{
    public override string ToString() => $"{(Pointer.Length == 0 ? "/" : Pointer)}: {Code} {Message}";
}

/// <summary>
/// Discord's official OpenAPI 3.1 description (tests/Fixtures/discord/openapi.json, MIT, copied with the test output).
/// <see cref="Validate"/> finds the operation by method and path template and checks a JSON body against its request
/// schema with JsonSchema.Net ($refs resolved into components/schemas). One known quirk of the spec is patched: it types
/// <c>default_member_permissions</c> as an integer, while Discord and every client send a string of digits (both pass).
/// </summary>
public sealed class DiscordSpec
{
    private static readonly Uri DocumentUri = new("https://discord.invalid/openapi.json");
    private static readonly Lazy<DiscordSpec> Shared = new(() => new DiscordSpec(Load()));
    private readonly List<Operation> _operations = [];
    private readonly BuildOptions _build;
    private readonly ConcurrentDictionary<string, Lazy<JsonSchema>> _schemas = new(StringComparer.Ordinal);
    private readonly JsonObject _components;
    private readonly EvaluationOptions _evaluation = new() { OutputFormat = OutputFormat.List };

    private DiscordSpec(JsonNode document)
    {
        PatchQuirks(document);
        _components = document["components"]!["schemas"]!.AsObject();
        var element = JsonSerializer.SerializeToElement(document);
        var registry = new SchemaRegistry();
        registry.Register(DocumentUri, new JsonElementBaseDocument(element, DocumentUri));
        // OpenAPI 3.1 schemas are JSON Schema 2020-12 and carry x-* extension keywords, which that dialect allows
        _build = new BuildOptions { SchemaRegistry = registry, Dialect = Dialect.Draft202012 };
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, op) in item as JsonObject ?? [])
            {
                foreach (var (contentType, media) in (op as JsonObject)?["requestBody"]?["content"] as JsonObject ?? [])
                {
                    if (contentType is "application/json" or "multipart/form-data" && media?["schema"] is { } schema)
                    {
                        _operations.Add(new Operation(method.ToUpperInvariant(), path, path.Trim('/').Split('/'), schema.DeepClone(), contentType));
                    }
                }
            }
        }
    }

    /// <summary>The spec shipped with the tests (parsed once per process).</summary>
    public static DiscordSpec Instance => Shared.Value;

    /// <summary>Starts loading the spec in the background (a fake server calls this when it starts, so the first request does not wait).</summary>
    public static void Preload() => _ = Task.Run(() => Shared.Value);

    /// <summary>Operations with a JSON request body.</summary>
    public int OperationCount => _operations.Count(o => o.ContentType == "application/json");

    /// <summary>The operation for <paramref name="method"/> and a concrete <paramref name="path"/> (relative to /api/v10), e.g. "POST /channels/{channel_id}/messages".</summary>
    public string? FindOperation(string method, string path) => Find(method, path, "application/json") is { } op ? op.Method + " " + op.Template : null;

    /// <summary>
    /// Validates a body. Returns null when the operation has no body schema for <paramref name="contentType"/>; otherwise the
    /// errors (empty = valid). For "multipart/form-data" the body is the payload_json part, checked against the operation's
    /// multipart schema (the JSON fields; the files[n] parts are checked by the fake's upload rules).
    /// </summary>
    public IReadOnlyList<SpecError>? Validate(string method, string path, JsonNode? body, string contentType = "application/json")
    {
        if (Find(method, path, contentType) is not { } op)
        {
            return null;
        }

        // A union of $refs discriminated by "type" (interaction callbacks): evaluate the branch whose type enum holds the
        // body's type, as Discord does, instead of every branch (an order of magnitude faster; the same verdict).
        var (key, node) = Discriminate(op, body);
        var schema = _schemas.GetOrAdd(key, _ => new Lazy<JsonSchema>(() => Build(op, node))).Value;
        var results = schema.Evaluate(JsonSerializer.SerializeToElement(body), _evaluation);
        if (results.IsValid)
        {
            return [];
        }

        // List output: every failing node. Keep the deepest instance locations (the leaves Discord would name).
        var failures = new List<SpecError>();
        foreach (var detail in results.Details ?? [])
        {
            if (detail.Errors is null)
            {
                continue;
            }

            foreach (var (keyword, message) in detail.Errors)
            {
                failures.Add(new SpecError(detail.InstanceLocation.ToString(), CodeFor(keyword), message));
            }
        }

        if (failures.Count == 0)
        {
            failures.Add(new SpecError("", "BASE_TYPE_INVALID", "The body does not match the operation's schema."));
        }

        var deepest = failures.Max(f => f.Pointer.Count(c => c == '/'));
        return failures.Where(f => f.Pointer.Count(c => c == '/') == deepest).Distinct().Take(20).ToList();
    }

    /// <summary>Discord's 400 answer for invalid bodies: <c>{"code":50035,"message":"Invalid Form Body","errors":{...}}</c>.</summary>
    public static JsonObject FormError(IEnumerable<SpecError> errors)
    {
        var tree = new JsonObject();
        foreach (var e in errors)
        {
            var node = tree;
            foreach (var part in e.Pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                var key = part.Replace("~1", "/").Replace("~0", "~");
                node = node[key] as JsonObject ?? (JsonObject)(node[key] = new JsonObject());
            }

            var list = node["_errors"] as JsonArray ?? (JsonArray)(node["_errors"] = new JsonArray());
            list.Add(new JsonObject { ["code"] = e.Code, ["message"] = e.Message });
        }

        return new JsonObject { ["message"] = "Invalid Form Body", ["code"] = 50035, ["errors"] = tree };
    }

    private (string Key, JsonNode Schema) Discriminate(Operation op, JsonNode? body)
    {
        var opKey = op.Method + " " + op.Template + " " + op.ContentType;
        if (body is not JsonObject o || o["type"] is not JsonValue tv || !tv.TryGetValue<int>(out var type)
            || (op.Schema["anyOf"] ?? op.Schema["oneOf"]) is not JsonArray branches)
        {
            return (opKey, op.Schema);
        }

        var matching = branches.Where(b => b?["$ref"]?.GetValue<string>() is { } r && r.StartsWith("#/components/schemas/", StringComparison.Ordinal)
            && _components[r["#/components/schemas/".Length..]]?["properties"]?["type"]?["enum"] is JsonArray e
            && e.Any(v => v is JsonValue x && x.TryGetValue<int>(out var t) && t == type)).ToList();
        return matching.Count == 1 ? (opKey + " type " + type, matching[0]!) : (opKey, op.Schema);
    }

    private JsonSchema Build(Operation op, JsonNode node)
    {
        var schema = node.DeepClone();
        RebaseRefs(schema);
        return JsonSchema.Build(JsonSerializer.SerializeToElement(schema), _build, new Uri($"https://discord.invalid/operations/{op.Method}{op.Template.Replace('{', '_').Replace('}', '_')}/{op.ContentType.Replace('/', '_')}/{Guid.NewGuid():N}"));
    }

    /// <summary>Local refs of an operation's schema ("#/components/...") point into the spec document.</summary>
    private static void RebaseRefs(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["$ref"] is JsonValue r && r.GetValue<string>() is { } target && target.StartsWith('#'))
                {
                    o["$ref"] = DocumentUri + target;
                }

                foreach (var (_, child) in o.ToList())
                {
                    RebaseRefs(child);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    RebaseRefs(child);
                }

                break;
        }
    }

    private Operation? Find(string method, string path, string contentType)
    {
        var segments = path.Split('?')[0].Trim('/').Split('/');
        Operation? best = null;
        var bestLiterals = -1;
        foreach (var op in _operations)
        {
            if (op.Method != method || op.ContentType != contentType || op.Segments.Length != segments.Length)
            {
                continue;
            }

            var literals = 0;
            var match = true;
            for (var i = 0; i < segments.Length && match; i++)
            {
                var t = op.Segments[i];
                if (t.StartsWith('{'))
                {
                    continue;
                }

                match = string.Equals(t, segments[i], StringComparison.Ordinal);
                literals++;
            }

            // a literal segment beats a template one: /applications/@me over /applications/{application_id}
            if (match && literals > bestLiterals)
            {
                best = op;
                bestLiterals = literals;
            }
        }

        return best;
    }

    private static void PatchQuirks(JsonNode document)
    {
        // Known quirk (tests/Fixtures/discord/SOURCES.md): default_member_permissions is an integer in the spec, a string of
        // digits on the wire. Accept both.
        void Walk(JsonNode? node)
        {
            if (node is JsonObject o)
            {
                if (o["properties"] is JsonObject props && props["default_member_permissions"] is JsonObject dmp)
                {
                    props["default_member_permissions"] = new JsonObject
                    {
                        ["anyOf"] = new JsonArray(dmp.DeepClone(), new JsonObject { ["type"] = "string", ["pattern"] = "^[0-9]{1,20}$" }),
                    };
                }

                foreach (var (_, child) in o.ToList())
                {
                    Walk(child);
                }
            }
            else if (node is JsonArray a)
            {
                foreach (var child in a)
                {
                    Walk(child);
                }
            }
        }

        Walk(document);
    }

    private static string CodeFor(string keyword) => keyword switch
    {
        "required" => "BASE_TYPE_REQUIRED",
        "type" => "BASE_TYPE_BAD_TYPE",
        "maxLength" or "maxItems" => "BASE_TYPE_MAX_LENGTH",
        "minLength" or "minItems" => "BASE_TYPE_MIN_LENGTH",
        "enum" or "const" => "BASE_TYPE_CHOICES",
        "minimum" or "maximum" => "NUMBER_TYPE_OUT_OF_RANGE",
        "pattern" => "STRING_TYPE_REGEX",
        "uniqueItems" => "LIST_ITEM_VALUE_DUPLICATE",
        _ => "SCHEMA_" + keyword.ToUpperInvariant(),
    };

    private static JsonNode Load()
    {
        var candidates = new[]
        {
            Path.Combine(AppContext.BaseDirectory, "Fixtures", "discord", "openapi.json"),
            Path.Combine(TestPaths.RepoRoot, "tests", "Fixtures", "discord", "openapi.json"),
        };
        var file = candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("Discord's OpenAPI spec is missing: expected tests/Fixtures/discord/openapi.json (copied to the test output as Fixtures/discord/openapi.json).");
        using var stream = File.OpenRead(file);
        return JsonNode.Parse(stream)!;
    }

    private sealed record Operation(string Method, string Template, string[] Segments, JsonNode Schema, string ContentType);
}

/// <summary>Counts across every fake in the test process, for the one-line <c>discord-spec:</c> report at the end of a test run.</summary>
public static class DiscordSpecReport
{
    private static long _validated;
    private static long _violations;
    private static readonly ConcurrentQueue<string> Samples = new();

    /// <summary>REST bodies checked against the spec (and Discord's extra rules).</summary>
    public static long Validated => Interlocked.Read(ref _validated);

    /// <summary>Bodies the client under test sent that Discord would reject (deliberately invalid requests of fake tests are not counted).</summary>
    public static long Violations => Interlocked.Read(ref _violations);

    public static IReadOnlyCollection<string> ViolationSamples => Samples;

    /// <summary>Gateway rules the client broke (payload before IDENTIFY, 4008 send rate, IDENTIFY without budget).</summary>
    public static long GatewayViolations => Interlocked.Read(ref _gatewayViolations);

    public static string Line => $"discord-spec: {Validated} requests validated, {Violations} violations";

    public static string GatewayLine => $"discord-gateway: {GatewayViolations} protocol violations";

    private static long _gatewayViolations;

    internal static void CountGatewayViolation(string what)
    {
        Interlocked.Increment(ref _gatewayViolations);
        if (Samples.Count < 20)
        {
            Samples.Enqueue("gateway: " + what);
        }
    }

    internal static void CountValidated() => Interlocked.Increment(ref _validated);

    /// <summary>A test provoked these violations on purpose and checked them: they are not the client's.</summary>
    public static void Acknowledge(int rest, int gateway = 0)
    {
        Interlocked.Add(ref _violations, -rest);
        Interlocked.Add(ref _gatewayViolations, -gateway);
    }

    internal static void CountViolation(string what)
    {
        Interlocked.Increment(ref _violations);
        if (Samples.Count < 20)
        {
            Samples.Enqueue(what);
        }
    }
}
