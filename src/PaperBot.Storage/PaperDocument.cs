using System.Globalization;
using LiteDB;
using PaperBot.Core.Papers;

namespace PaperBot.Storage;

/// <summary>Hand-written Paper ⇄ BsonDocument mapping (fast, and DateOnly-safe: dates are stored as sortable "yyyy-MM-dd").</summary>
internal static class PaperDocument
{
    public const string Published = nameof(Paper.Published);
    public const string FeaturedOn = nameof(Paper.FeaturedOn);
    public const string Upvotes = nameof(Paper.Upvotes);
    public const string Revision = nameof(Paper.Revision);

    /// <summary>Normalised-title id ("t:…") of the paper's title, used to fold title-id papers into arXiv-id papers.</summary>
    public const string TitleKey = "TitleKey";

    public static BsonDocument ToDocument(Paper p, string? titleKey = null)
    {
        var d = new BsonDocument
        {
            ["_id"] = p.Id,
            ["Title"] = p.Title,
            ["Abstract"] = p.Abstract,
            [TitleKey] = titleKey ?? (p.Title.Length > 0 ? PaperId.FromTitle(p.Title) : BsonValue.Null),
            [Revision] = p.Revision,
            [Upvotes] = p.Upvotes is { } u ? u : BsonValue.Null,
        };
        Put(d, "ArxivId", p.ArxivId);
        if (p.Authors.Count > 0)
        {
            d["Authors"] = new BsonArray(p.Authors.Select(a => new BsonValue(a)));
        }

        if (p.AuthorCount is { } ac)
        {
            d["AuthorCount"] = ac;
        }

        Put(d, "Organization", p.Organization);
        d[Published] = Date(p.Published);
        d[FeaturedOn] = Date(p.FeaturedOn);
        Put(d, "ArxivUrl", p.ArxivUrl);
        Put(d, "PdfUrl", p.PdfUrl);
        Put(d, "HfUrl", p.HfUrl);
        Put(d, "GithubUrl", p.GithubUrl);
        if (p.GithubStars is { } gs)
        {
            d["GithubStars"] = gs;
        }

        Put(d, "ProjectPage", p.ProjectPage);
        PutList(d, "Keywords", p.Keywords);
        Put(d, "AiSummary", p.AiSummary);
        PutList(d, "Categories", p.Categories);
        PutList(d, "Sources", p.Sources);
        return d;
    }

    public static Paper FromDocument(BsonDocument d) => new()
    {
        Id = d["_id"].AsString,
        ArxivId = Str(d, "ArxivId"),
        Title = Str(d, "Title") ?? "",
        Abstract = Str(d, "Abstract") ?? "",
        Authors = List(d, "Authors"),
        AuthorCount = Int(d, "AuthorCount"),
        Organization = Str(d, "Organization"),
        Published = ParseDate(d, Published),
        FeaturedOn = ParseDate(d, FeaturedOn),
        Upvotes = Int(d, Upvotes),
        ArxivUrl = Str(d, "ArxivUrl"),
        PdfUrl = Str(d, "PdfUrl"),
        HfUrl = Str(d, "HfUrl"),
        GithubUrl = Str(d, "GithubUrl"),
        GithubStars = Int(d, "GithubStars"),
        ProjectPage = Str(d, "ProjectPage"),
        Keywords = List(d, "Keywords"),
        AiSummary = Str(d, "AiSummary"),
        Categories = List(d, "Categories"),
        Sources = List(d, "Sources"),
        Revision = d.TryGetValue(Revision, out var r) && r.IsNumber ? r.AsInt64 : 0,
    };

    public static BsonValue Date(DateOnly? d) =>
        d is { } v ? new BsonValue(v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : BsonValue.Null;

    private static void Put(BsonDocument d, string key, string? value)
    {
        if (value is not null)
        {
            d[key] = value;
        }
    }

    private static void PutList(BsonDocument d, string key, List<string> values)
    {
        if (values.Count > 0)
        {
            d[key] = new BsonArray(values.Select(v => new BsonValue(v)));
        }
    }

    private static string? Str(BsonDocument d, string key) => d.TryGetValue(key, out var v) && v.IsString ? v.AsString : null;

    private static int? Int(BsonDocument d, string key) => d.TryGetValue(key, out var v) && v.IsNumber ? v.AsInt32 : null;

    private static List<string> List(BsonDocument d, string key) =>
        d.TryGetValue(key, out var v) && v.IsArray ? [.. v.AsArray.Where(x => x.IsString).Select(x => x.AsString)] : [];

    private static DateOnly? ParseDate(BsonDocument d, string key) =>
        d.TryGetValue(key, out var v) && v.IsString &&
        DateOnly.TryParseExact(v.AsString, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;
}
