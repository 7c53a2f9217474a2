using System.Text.RegularExpressions;

namespace PaperBot.AI.Offline;

/// <summary>What kind of sentence answers a question.</summary>
public enum NeedKind
{
    /// <summary>No particular kind: the sentence that matches the question best.</summary>
    Any,

    /// <summary>"how much / how fast / how accurate / what fraction": a number or a result.</summary>
    Number,

    /// <summary>"how does / is there a method / which architecture": the method or contribution.</summary>
    Method,

    /// <summary>"what data / which dataset / trained on": the data.</summary>
    Data,

    /// <summary>"what did they find / does it help / which one matters": the finding.</summary>
    Finding,
}

/// <summary>Classifies a question by the sentence that would answer it (cue phrases, checked in order).</summary>
public static partial class QuestionNeed
{
    [GeneratedRegex(@"\b(how\s+(much|many|fast|quick|slow|small|large|big|accurate|well|often|long)|what\s+(fraction|share|percentage|proportion|speed-?up|accuracy|score|gain)|by\s+how\s+much|speed-?ups?|how\s+\w+er\b|what'?s\s+the\s+(speed-?up|accuracy|gain)|bigger|larger|higher|lower|fewer|faster|slower|times\s+faster|compression)\b", RegexOptions.IgnoreCase)]
    private static partial Regex NumberRx();

    [GeneratedRegex(@"\b(what\s+data|which\s+data|datasets?|corpus|corpora|trained\s+on|benchmarks?\s+(do|did|does)|what\s+benchmark)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DataRx();

    [GeneratedRegex(@"\b(what\s+did\s+(they|it|the\s+\w+)\s+find|found|find(ing|ings)?\b|does\s+it\s+help|is\s+it\s+(better|worse)|are\s+\w+\s+(really|actually)|which\s+\w+\s+(actually|really)|matters?|carr(y|ies)|needed|necessary|required|redundant|why)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FindingRx();

    [GeneratedRegex(@"\b(how\s+(do|does|did|can|could|would|to|are|is)|is\s+there\s+(a|an|any)|are\s+there|anyone\s+(seen|have|tried|know)|has\s+anyone|which\s+(architecture|model|method|approach|paper|network|framework|technique)|what'?s\s+(that|the)\s+(paper|method|model|trick)|what\s+(method|approach|technique|model|architecture)|way\s+to|method\s+for|model\s+for|recipe|trick|can\s+(a|an|you|we|each|lots|one))\b", RegexOptions.IgnoreCase)]
    private static partial Regex MethodRx();

    public static NeedKind Of(string question)
    {
        if (NumberRx().IsMatch(question))
        {
            return NeedKind.Number;
        }

        if (DataRx().IsMatch(question))
        {
            return NeedKind.Data;
        }

        if (FindingRx().IsMatch(question))
        {
            return NeedKind.Finding;
        }

        return MethodRx().IsMatch(question) ? NeedKind.Method : NeedKind.Any;
    }
}
