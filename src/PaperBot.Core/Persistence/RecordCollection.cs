using System.Text;

namespace PaperBot.Core.Persistence;

/// <summary>
/// The collection (LiteDB) or collection key (PostgreSQL) that holds the records of one type: "rec_" + the type name
/// with its generic arguments ("rec_PaperEmbeddingRecord"). Every provider uses the same names, so `migrate` copies
/// records without knowing their types.
/// </summary>
public static class RecordCollection
{
    public const string Prefix = "rec_";

    public static string NameOf<T>() => Names<T>.Value;

    /// <summary>True for a name <see cref="NameOf{T}"/> can produce (checked before a raw name reaches a database).</summary>
    public static bool IsValidName(string name) =>
        name.StartsWith(Prefix, StringComparison.Ordinal) && name.Length > Prefix.Length && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static class Names<T>
    {
        public static readonly string Value = Build(typeof(T));
    }

    private static string Build(Type type)
    {
        var sb = new StringBuilder(Prefix);
        void Append(Type t)
        {
            var name = t.Name;
            var tick = name.IndexOf('`');
            sb.Append(tick >= 0 ? name[..tick] : name);
            foreach (var arg in t.GetGenericArguments())
            {
                sb.Append('_');
                Append(arg);
            }
        }

        Append(type);
        for (var i = 0; i < sb.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(sb[i]) && sb[i] != '_')
            {
                sb[i] = '_';
            }
        }

        return sb.ToString();
    }
}
