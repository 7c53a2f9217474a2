using System.Text.RegularExpressions;

namespace PaperBot.AI.Offline;

/// <summary>Cue patterns that say what an abstract sentence is: a result, the method, the data, a finding, background.</summary>
public static partial class SentenceCues
{
    [GeneratedRegex(@"\d(?:[\d.,]*\d)?\s*(?:\\?%|×|x\b|times\b|-?fold\b|percent\b|points?\b|ms\b|gb\b|mb\b|bits?\b|fps\b|b\b|k\b|billion\b|million\b)|\b(?:gfid|fid|bleu|rouge|top-1|accuracy|f1|auc|speed-?up|throughput|latency)\b[^.]{0,40}\d|\d[^.]{0,40}\b(?:speed-?up|faster|fewer|lower|higher|reduc\w*|improv\w*|compression|accuracy)\b", RegexOptions.IgnoreCase)]
    private static partial Regex NumberRx();

    [GeneratedRegex(@"\b(we\s+(propose|introduce|present|develop|design|devise|build|describe|adopt|use|leverage|employ|train|fine-?tune|distill|formulate|extend|re-?contextuali[sz]e)|this\s+(paper|work|study)\s+(proposes|introduces|presents|develops|describes)|in\s+this\s+(work|paper)|our\s+(method|approach|framework|model|system|architecture|algorithm|technique|key\s+idea)|(is|are)\s+composed\s+of|consists?\s+of|(a|an)\s+(novel|new|simple|unified)\s+\w+|which\s+(adds|uses|replaces|combines|integrates))\b", RegexOptions.IgnoreCase)]
    private static partial Regex MethodRx();

    [GeneratedRegex(@"\b((pre-?)?trained\s+on|evaluated\s+on|tested\s+on|datasets?|corpus|corpora|benchmarks?|collected|annotat\w+|curat\w+|synthesi[sz]e|labeled|labelled|images|videos|samples|examples|hours\s+of|we\s+(build|construct|release|collect|create))\b", RegexOptions.IgnoreCase)]
    private static partial Regex DataRx();

    [GeneratedRegex(@"\b(we\s+(find|found|show|observe|reveal|demonstrate|prove|discover|identify|confirm)|results?\s+(show|indicate|suggest|reveal|demonstrate)|experiments?\s+(show|indicate|demonstrate)|find(s)?\s+that|show(s)?\s+that|turns?\s+out|is\s+more\s+important|are\s+redundant|leads?\s+to|outperform\w*|surpass\w*|achiev\w+|rival\w*|comparable)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FindingRx();

    [GeneratedRegex(@"^(while|although|though|despite|recent(ly)?|existing|traditional(ly)?|conventional(ly)?|current(ly)?|prior|previous(ly)?|most|many|in\s+recent\s+years|with\s+the|over\s+the\s+past|nowadays|however)\b|\b(has|have)\s+(achieved|shown|become|attracted|gained|emerged|demonstrated)|remains?\s+(a\s+)?(challeng|difficult|open|unclear|limited)|\bis\s+(a\s+)?(fundamental|crucial|critical|key|central)\b|\bplays?\s+an?\s+\w*\s*role|\bwidely\s+(used|adopted)|\bsuffer(s)?\s+from\b|\b(is|are)\s+(crucial|essential|vital|increasingly)\b|^given\b[^.]*\bhowever\b", RegexOptions.IgnoreCase)]
    private static partial Regex BackgroundRx();

    [GeneratedRegex(@"\b(task|problem|we\s+(address|tackle|study|consider|focus\s+on|investigate|explore|examine)|aims?\s+to|goal|challenge|question)\b", RegexOptions.IgnoreCase)]
    private static partial Regex TaskRx();

    [GeneratedRegex(@"\b(our|this|the\s+proposed)\s+(method|approach|model|framework|system|work)\b[^.]*\b(is\s+limited|are\s+limited|cannot|fails?\s+to|only\s+(works?|applies|handles|supports)|restricted\s+to|does\s+not\s+(handle|support|scale|generali[sz]e)|struggl\w*)|\b(limitations?|future\s+work|we\s+(leave|note\s+that))\b", RegexOptions.IgnoreCase)]
    private static partial Regex OwnLimitationRx();

    public static bool HasNumber(string s) => NumberRx().IsMatch(s);

    public static bool IsMethod(string s) => MethodRx().IsMatch(s);

    [GeneratedRegex(@"\b(we|this\s+(paper|work|study))\b[^.]{0,80}?\b(propos\w*|introduc\w*|present\w*|develop\w*|design\w*|devis\w*)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ProposeRx();

    /// <summary>A name: an acronym in parentheses ("(LayRA)"), a CamelCase word ("MossFormer") or capitals ("DARE").</summary>
    [GeneratedRegex(@"\(([A-Z][\w\-+]*[A-Z0-9][\w\-+]*)\)|\b[A-Za-z]*[a-z][A-Z][\w\-+]*\b|\b[A-Z]{2,}[\w\-+]*\b")]
    private static partial Regex NameRx();

    /// <summary>The sentence where the paper proposes something it names ("we propose X (ABC), which …").</summary>
    public static bool IsProposal(string s) => ProposeRx().IsMatch(s) && NameRx().IsMatch(s);

    [GeneratedRegex(@"\bwe\s+(study|investigate|explore|analy[sz]e|examine|show|find|revisit)\b", RegexOptions.IgnoreCase)]
    private static partial Regex StudyRx();

    /// <summary>The paper's own contribution: its method, or what it studies or shows.</summary>
    public static bool IsContribution(string s) => MethodRx().IsMatch(s) || StudyRx().IsMatch(s);

    public static bool IsData(string s) => DataRx().IsMatch(s);

    public static bool IsFinding(string s) => FindingRx().IsMatch(s);

    public static bool IsBackground(string s) => BackgroundRx().IsMatch(s) && !MethodRx().IsMatch(s) && !(NumberRx().IsMatch(s) && FindingRx().IsMatch(s));

    public static bool IsTask(string s) => TaskRx().IsMatch(s);

    public static bool IsOwnLimitation(string s) => OwnLimitationRx().IsMatch(s) && !BackgroundRx().IsMatch(s);

    /// <summary>How well a sentence fits what the question needs (0 = not at all).</summary>
    public static double Fit(string s, NeedKind need) => need switch
    {
        NeedKind.Number => HasNumber(s) ? 1 : 0,
        NeedKind.Method => IsMethod(s) ? 1 : 0,
        NeedKind.Data => IsData(s) ? (HasNumber(s) ? 1 : 0.7) : 0,
        NeedKind.Finding => IsFinding(s) ? 1 : HasNumber(s) ? 0.5 : 0,
        _ => 0,
    };
}
