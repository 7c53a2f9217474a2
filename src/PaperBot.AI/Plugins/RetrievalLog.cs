using PaperBot.Core.Papers;

namespace PaperBot.AI.Plugins;

/// <summary>
/// Every paper returned by a plugin call during one turn, each with a turn-local "ref" number the model cites as [ref].
/// The citation post-check accepts only papers in this log.
/// </summary>
public sealed class RetrievalLog
{
    private readonly object _gate = new();
    private readonly List<Paper> _papers = [];
    private readonly Dictionary<string, int> _refs = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<Paper> Papers
    {
        get
        {
            lock (_gate)
            {
                return _papers.ToList();
            }
        }
    }

    public List<string> Calls { get; } = [];

    /// <summary>Adds a paper (once) and returns its ref number.</summary>
    public int Add(Paper paper)
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

    public Paper? ByRef(int number)
    {
        lock (_gate)
        {
            return number >= 1 && number <= _papers.Count ? _papers[number - 1] : null;
        }
    }

    public Paper? ById(string id)
    {
        lock (_gate)
        {
            return _refs.TryGetValue(id, out var r) ? _papers[r - 1] : null;
        }
    }

    public void RecordCall(string call)
    {
        lock (_gate)
        {
            Calls.Add(call);
        }
    }
}
