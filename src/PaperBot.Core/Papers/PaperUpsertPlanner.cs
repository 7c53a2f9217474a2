namespace PaperBot.Core.Papers;

/// <summary>What a store holds for the planner: papers by id (with their stored title key) and the title-key → ids map.</summary>
public interface IPaperUpsertLookup
{
    /// <summary>The stored papers among <paramref name="ids"/>, with the title key each was stored under.</summary>
    IReadOnlyDictionary<string, (Paper Paper, string? TitleKey)> FindPapers(IReadOnlyCollection<string> ids);

    /// <summary>The ids stored under each of <paramref name="keys"/> (in the order they were added); absent keys are left out.</summary>
    IReadOnlyDictionary<string, List<string>> FindTitles(IReadOnlyCollection<string> keys);
}

/// <summary>A changed paper to write: <see cref="Stored"/> tells an update from an insert; <see cref="OldSources"/> are the stored record's.</summary>
public sealed record PlannedPaper(Paper Paper, string? TitleKey, bool Stored, IReadOnlyList<string>? OldSources);

/// <summary>
/// The writes of one upsert batch: changed papers in revision order, ids folded into another (tombstoned with
/// "merged into"), new ids (whose old tombstones go) and the title-map entries to rewrite (an empty list deletes it).
/// </summary>
public sealed record UpsertPlan(
    UpsertResult Result,
    IReadOnlyList<PlannedPaper> Changed,
    IReadOnlyList<(string Id, string Into, IReadOnlyList<string>? OldSources)> Removed,
    IReadOnlyList<string> Added,
    IReadOnlyDictionary<string, List<string>> Titles)
{
    public bool IsEmpty => Changed.Count == 0 && Removed.Count == 0 && Titles.Count == 0;

    /// <summary>The title keys the store already holds (the others in <see cref="Titles"/> are new: an insert will do).</summary>
    public IReadOnlySet<string> StoredTitles { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}

/// <summary>
/// The merge rules of every <see cref="IPaperStore"/> PaperBot ships, independent of the database (so LiteDB and
/// PostgreSQL merge identically): normalises and checks the incoming papers, then merges them with the stored ones
/// (<see cref="PaperMerger"/>; never duplicated or downgraded) and folds papers by title.
/// <para>
/// Title matching: a paper without an arXiv id gets a title id ("t:…"). When the same normalised title is seen with an
/// arXiv id, the two are the same paper: the arXiv id wins. A title-id paper arriving after the arXiv-id paper is merged
/// into it; an arXiv-id paper arriving after the title-id paper takes it over (the title id is tombstoned and
/// <see cref="IPaperStore.Get"/> still resolves it). Two papers that both have (different) arXiv ids are never merged by title.
/// </para>
/// The caller runs <see cref="Plan"/> and its writes in one transaction, with writers serialised.
/// </summary>
public static class PaperUpsertPlanner
{
    /// <summary>Normalised copies of the incoming papers with their title keys; throws <see cref="PaperRecordException"/> for an unstorable one.</summary>
    public static List<(Paper Paper, string? TitleKey)> Prepare(IEnumerable<Paper> batch, PaperLimits limits)
    {
        var incoming = new List<(Paper Paper, string? TitleKey)>();
        foreach (var raw in batch)
        {
            var p = PaperMerger.Normalize(PaperMerger.Clone(raw));
            if (p.Title.Length == 0 && PaperId.IsTitleId(p.Id))
            {
                throw new PaperRecordException($"paper '{p.Id}' has neither a title nor an arXiv id", p.Id);
            }

            if (limits.Check(p) is { } reason)
            {
                throw new PaperRecordException($"paper '{p.Id}' not stored: {reason}", p.Id);
            }

            incoming.Add((p, p.Title.Length > 0 ? PaperId.FromTitle(p.Title) : null));
        }

        return incoming;
    }

    public static UpsertPlan Plan(List<(Paper Paper, string? TitleKey)> incoming, MergeMode mode, IPaperUpsertLookup lookup)
    {
        bool Apply(Paper target, Paper source) => mode == MergeMode.Replace ? PaperMerger.Replace(target, source) : PaperMerger.Merge(target, source);
        var oldSources = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var known = new Dictionary<string, Paper>(StringComparer.Ordinal);
        var keyOf = new Dictionary<string, string?>(StringComparer.Ordinal);
        var byTitle = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var dirtyTitles = new HashSet<string>(StringComparer.Ordinal);
        var stored = new HashSet<string>(StringComparer.Ordinal);

        void Remember(Paper p, string? key)
        {
            if (known.TryAdd(p.Id, p))
            {
                keyOf[p.Id] = key;
            }
        }

        void RememberStored(Paper p, string? key)
        {
            stored.Add(p.Id);
            oldSources[p.Id] = [.. p.Sources];
            Remember(p, key);
        }

        void AddTitle(string? key, string id)
        {
            if (key is not null && byTitle.TryGetValue(key, out var ids) && !ids.Contains(id))
            {
                ids.Add(id);
                dirtyTitles.Add(key);
            }
        }

        void RemoveTitle(string? key, string id)
        {
            if (key is not null && byTitle.TryGetValue(key, out var ids) && ids.Remove(id))
            {
                dirtyTitles.Add(key);
            }
        }

        var storedKeys = new HashSet<string>(StringComparer.Ordinal);
        List<string> StoredTitle(string key)
        {
            if (lookup.FindTitles([key]).TryGetValue(key, out var ids))
            {
                storedKeys.Add(key);
                return [.. ids];
            }

            return [];
        }

        foreach (var (p, key) in lookup.FindPapers(incoming.Select(x => x.Paper.Id).Distinct(StringComparer.Ordinal).ToList()).Values)
        {
            RememberStored(p, key);
        }

        var keys = incoming.Select(x => x.TitleKey).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var titleMap = lookup.FindTitles(keys);
        storedKeys.UnionWith(titleMap.Keys);
        var mates = lookup.FindPapers(titleMap.Values.SelectMany(ids => ids).Where(id => !known.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList());
        foreach (var key in keys)
        {
            var ids = new List<string>();
            byTitle[key] = ids;
            foreach (var mate in titleMap.GetValueOrDefault(key) ?? [])
            {
                if (!known.ContainsKey(mate) && mates.TryGetValue(mate, out var found))
                {
                    RememberStored(found.Paper, found.TitleKey);
                }

                if (known.ContainsKey(mate))
                {
                    ids.Add(mate);
                }
            }
        }

        var changed = new List<string>();
        var changedSet = new HashSet<string>(StringComparer.Ordinal);
        var added = new List<string>();
        var removed = new List<(string Id, string Into, IReadOnlyList<string>? OldSources)>();
        int nAdded = 0, nUpdated = 0, nUnchanged = 0;

        void MarkChanged(string id)
        {
            if (changedSet.Add(id))
            {
                changed.Add(id);
            }
        }

        foreach (var (p, titleKey) in incoming)
        {
            var titleMates = titleKey is not null && byTitle.TryGetValue(titleKey, out var ids) ? ids : null;
            if (known.TryGetValue(p.Id, out var existing))
            {
                var isTitleId = PaperId.IsTitleId(p.Id);
                if (isTitleId && titleMates?.FirstOrDefault(id => !PaperId.IsTitleId(id)) is { } arxivMate && arxivMate != p.Id)
                {
                    // Stale title-id paper while an arXiv one exists: fold into the arXiv paper.
                    existing = known[arxivMate];
                }

                if (Apply(existing, p))
                {
                    MarkChanged(existing.Id);
                    nUpdated++;
                }
                else
                {
                    nUnchanged++;
                }

                continue;
            }

            if (titleMates is { Count: > 0 })
            {
                if (PaperId.IsTitleId(p.Id))
                {
                    // A title-only sighting of a paper we know by arXiv id (or by the same title id).
                    var mateId = titleMates.FirstOrDefault(id => !PaperId.IsTitleId(id)) ?? titleMates[0];
                    var mate = known[mateId];
                    if (Apply(mate, p))
                    {
                        MarkChanged(mate.Id);
                        nUpdated++;
                    }
                    else
                    {
                        nUnchanged++;
                    }

                    continue;
                }

                if (titleMates.FirstOrDefault(PaperId.IsTitleId) is { } titleId)
                {
                    // The arXiv id of a paper so far known only by title: take it over.
                    var old = known[titleId];
                    var promoted = PaperMerger.Clone(old);
                    promoted.Id = p.Id;
                    Apply(promoted, p);
                    known.Remove(titleId);
                    RemoveTitle(titleKey, titleId);
                    changedSet.Remove(titleId);
                    changed.Remove(titleId);
                    if (stored.Remove(titleId))
                    {
                        removed.Add((titleId, p.Id, oldSources.GetValueOrDefault(titleId)));
                    }

                    Remember(promoted, titleKey);
                    AddTitle(titleKey, promoted.Id);
                    MarkChanged(promoted.Id);
                    nUpdated++;
                    continue;
                }
            }

            Remember(p, titleKey);
            AddTitle(titleKey, p.Id);
            MarkChanged(p.Id);
            added.Add(p.Id);
            nAdded++;
        }

        if (mode == MergeMode.Replace)
        {
            // A corrected title moves an arXiv-id paper to another title key.
            foreach (var id in changed)
            {
                var p = known[id];
                var newKey = p.Title.Length > 0 ? PaperId.FromTitle(p.Title) : null;
                if (stored.Contains(id) && keyOf[id] is { } oldKey && oldKey != newKey)
                {
                    if (!byTitle.ContainsKey(oldKey))
                    {
                        byTitle[oldKey] = StoredTitle(oldKey);
                    }

                    RemoveTitle(oldKey, id);
                    if (newKey is not null && !byTitle.ContainsKey(newKey))
                    {
                        byTitle[newKey] = StoredTitle(newKey);
                    }

                    AddTitle(newKey, id);
                    keyOf[id] = newKey;
                }
            }
        }

        var planned = changed.Select(id => new PlannedPaper(known[id], keyOf[id], stored.Contains(id), stored.Contains(id) ? oldSources.GetValueOrDefault(id) : null)).ToList();
        return new UpsertPlan(
            new UpsertResult(nAdded, nUpdated, nUnchanged),
            planned,
            removed,
            added,
            dirtyTitles.ToDictionary(k => k, k => byTitle[k], StringComparer.Ordinal))
        {
            StoredTitles = storedKeys,
        };
    }
}
