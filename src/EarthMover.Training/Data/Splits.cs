namespace EarthMover.Training.Data;

/// <summary>Seeded, stratified splits: every class is divided in the same proportions.</summary>
internal static class Splits
{
    /// <summary>Train, validation and test row indices.</summary>
    public static (int[] Train, int[] Validation, int[] Test) TrainValidationTest(int[] labels, int classes, double validation, double test, int seed)
    {
        if (!(validation >= 0 && test >= 0 && validation + test < 1))
        {
            throw new UserError($"--validation {validation} and --test {test} must be >= 0 and leave rows for training.");
        }
        var train = new List<int>();
        var valid = new List<int>();
        var held = new List<int>();
        foreach (var members in ByClass(labels, classes, seed))
        {
            int nTest = (int)Math.Round(members.Count * test);
            int nValid = (int)Math.Round(members.Count * validation);
            held.AddRange(members.Take(nTest));
            valid.AddRange(members.Skip(nTest).Take(nValid));
            train.AddRange(members.Skip(nTest + nValid));
        }
        return (Shuffle(train, seed), Shuffle(valid, seed + 1), Shuffle(held, seed + 2));
    }

    /// <summary>k stratified folds: fold f is the test set of round f.</summary>
    public static int[][] Folds(int[] labels, int classes, int k, int seed)
    {
        if (k < 2)
        {
            throw new UserError($"--folds {k}: cross-validation needs at least 2 folds.");
        }
        var folds = Enumerable.Range(0, k).Select(_ => new List<int>()).ToArray();
        int next = 0;
        foreach (var members in ByClass(labels, classes, seed))
        {
            foreach (var row in members)
            {
                folds[next].Add(row);
                next = (next + 1) % k;
            }
        }
        return folds.Select((f, i) => Shuffle(f, seed + i)).ToArray();
    }

    /// <summary>A sample of <paramref name="count"/> rows keeping each class's share (at least one row of each class present).</summary>
    public static int[] StratifiedSample(int[] labels, int classes, int count, int seed)
    {
        var groups = ByClass(labels, classes, seed).Where(g => g.Count > 0).ToList();
        var chosen = new List<int>();
        foreach (var members in groups)
        {
            int take = Math.Max(1, (int)Math.Round((double)members.Count * count / labels.Length));
            chosen.AddRange(members.Take(take));
        }
        return Shuffle(chosen, seed).Take(Math.Max(count, groups.Count)).ToArray();
    }

    /// <summary>Each class's rows, in a seeded random order.</summary>
    private static List<List<int>> ByClass(int[] labels, int classes, int seed)
    {
        var groups = Enumerable.Range(0, classes).Select(_ => new List<int>()).ToList();
        for (int i = 0; i < labels.Length; i++)
        {
            groups[labels[i]].Add(i);
        }
        return groups.Select((g, k) => Shuffle(g, seed * 7919 + k).ToList()).ToList();
    }

    private static int[] Shuffle(List<int> rows, int seed)
    {
        var result = rows.ToArray();
        new Random(seed).Shuffle(result);
        return result;
    }
}
