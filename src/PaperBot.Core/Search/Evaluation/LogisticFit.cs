namespace PaperBot.Core.Search.Evaluation;

/// <summary>
/// Logistic regression by Newton's method (a handful of features, a few thousand rows): how the coefficients of
/// <see cref="Ranking.RelevanceModel"/> are fitted from judged candidates (`eval beir --fit-relevance`).
/// </summary>
public static class LogisticFit
{
    /// <summary>Returns [bias, w1..wn] maximising the log-likelihood (a small ridge keeps it finite on separable data).</summary>
    public static double[] Fit(IReadOnlyList<double[]> x, IReadOnlyList<bool> y, int iterations = 50, double ridge = 1e-3)
    {
        var n = x.Count == 0 ? 0 : x[0].Length;
        var w = new double[n + 1];
        for (var it = 0; it < iterations; it++)
        {
            var grad = new double[n + 1];
            var hess = new double[n + 1, n + 1];
            for (var r = 0; r < x.Count; r++)
            {
                var f = Features(x[r]);
                var p = Sigmoid(Dot(w, f));
                var err = (y[r] ? 1 : 0) - p;
                var s = p * (1 - p);
                for (var i = 0; i <= n; i++)
                {
                    grad[i] += err * f[i];
                    for (var j = 0; j <= n; j++)
                    {
                        hess[i, j] += s * f[i] * f[j];
                    }
                }
            }

            for (var i = 0; i <= n; i++)
            {
                grad[i] -= ridge * w[i];
                hess[i, i] += ridge;
            }

            var step = Solve(hess, grad);
            var change = 0.0;
            for (var i = 0; i <= n; i++)
            {
                w[i] += step[i];
                change += Math.Abs(step[i]);
            }

            if (change < 1e-9)
            {
                break;
            }
        }

        return w;
    }

    public static double Predict(double[] w, double[] x) => Sigmoid(Dot(w, Features(x)));

    private static double[] Features(double[] x) => [1.0, .. x];

    private static double Dot(double[] a, double[] b)
    {
        var s = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>Gaussian elimination with partial pivoting.</summary>
    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var v = (double[])b.Clone();
        for (var c = 0; c < n; c++)
        {
            var pivot = c;
            for (var r = c + 1; r < n; r++)
            {
                if (Math.Abs(m[r, c]) > Math.Abs(m[pivot, c]))
                {
                    pivot = r;
                }
            }

            for (var k = 0; k < n; k++)
            {
                (m[c, k], m[pivot, k]) = (m[pivot, k], m[c, k]);
            }

            (v[c], v[pivot]) = (v[pivot], v[c]);
            for (var r = c + 1; r < n; r++)
            {
                var f = m[r, c] / m[c, c];
                for (var k = c; k < n; k++)
                {
                    m[r, k] -= f * m[c, k];
                }

                v[r] -= f * v[c];
            }
        }

        var x = new double[n];
        for (var r = n - 1; r >= 0; r--)
        {
            var s = v[r];
            for (var k = r + 1; k < n; k++)
            {
                s -= m[r, k] * x[k];
            }

            x[r] = s / m[r, r];
        }

        return x;
    }
}
