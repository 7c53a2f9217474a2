using PaperBot.Core.Papers;

namespace PaperBot.AI.Plugins;

/// <summary>
/// The papers of one turn. Every paper shown to the model gets a turn-local "ref" number it cites as [ref]
/// (<see cref="Number"/>); a paper counts as retrieved only once a tool call that returned it has completed
/// (<see cref="MarkRetrieved"/>, called by <see cref="Orchestration.RetrievalRecordingFilter"/>) or when it was given from the
/// conversation. The citation post-check accepts only retrieved papers.
/// </summary>
public sealed class RetrievalLog
{
    private readonly object _gate = new();
    private readonly List<Paper> _papers = [];
    private readonly Dictionary<string, int> _refs = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _retrieved = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _calls = [];

    /// <summary>The retrieved papers, in ref order.</summary>
    public IReadOnlyList<Paper> Papers
    {
        get
        {
            lock (_gate)
            {
                return _papers.Where(p => _retrieved.Contains(p.Id)).ToList();
            }
        }
    }

    /// <summary>The tool calls of the turn, as "name(args)".</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_gate)
            {
                return _calls.ToList();
            }
        }
    }

    /// <summary>The ref number of a paper (assigned on first sight).</summary>
    public int Number(Paper paper)
    {
        lock (_gate)
        {
            if (_refs.TryGetValue(paper.Id, out var r))
            {
                return r;
            }

            _papers.Add(paper);
            r = _papers.Count;
            _refs[paper.Id] = r;
            return r;
        }
    }

    /// <summary>Numbers the paper and records it as retrieved (papers given from the conversation, offline plans).</summary>
    public int Add(Paper paper)
    {
        var r = Number(paper);
        MarkRetrieved([paper.Id]);
        return r;
    }

    public void MarkRetrieved(IEnumerable<string> ids)
    {
        lock (_gate)
        {
            foreach (var id in ids)
            {
                if (_refs.ContainsKey(id))
                {
                    _retrieved.Add(id);
                }
            }
        }
    }

    /// <summary>The paper shown with this ref number, retrieved or not (tool arguments may name refs).</summary>
    public Paper? Shown(int number)
    {
        lock (_gate)
        {
            return number >= 1 && number <= _papers.Count ? _papers[number - 1] : null;
        }
    }

    /// <summary>The retrieved paper with this ref number, or null.</summary>
    public Paper? ByRef(int number)
    {
        lock (_gate)
        {
            return number >= 1 && number <= _papers.Count && _retrieved.Contains(_papers[number - 1].Id) ? _papers[number - 1] : null;
        }
    }

    /// <summary>The retrieved paper with this id, or null.</summary>
    public Paper? ById(string id)
    {
        lock (_gate)
        {
            return _refs.TryGetValue(id, out var r) && _retrieved.Contains(id) ? _papers[r - 1] : null;
        }
    }

    public void RecordCall(string call)
    {
        lock (_gate)
        {
            _calls.Add(call);
        }
    }
}
