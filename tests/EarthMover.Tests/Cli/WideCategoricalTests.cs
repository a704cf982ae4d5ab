using System.Globalization;
using System.Text;
using EarthMover.Cli;
using EarthMover.Training;
using EarthMover.Training.Data;
using EarthMover.Training.Models;
using TorchSharp;

namespace EarthMover.Tests.Cli;

/// <summary>Categorical columns with many levels (IDs) reach the model as level indices and an embedding, never as a dense one-hot table.</summary>
[Collection(nameof(CliTests))]
public class WideCategoricalTests
{
    [Fact]
    public void Encodes_numbers_one_hot_blocks_and_level_indices_in_that_order()
    {
        var wide = Enumerable.Range(0, FeatureEncoder.OneHotLimit + 1).Select(i => $"L{i:000}").ToArray();
        var encoder = new FeatureEncoder(false,
            [FeatureColumn.Categorical("c", wide), FeatureColumn.Numeric("a", 1, 2), FeatureColumn.Categorical("b", ["p", "q"])],
            MissingValues.Impute);
        Assert.Equal(CategoryEncoding.Embedding, encoder.Columns[0].Encoding);
        Assert.Equal(3, encoder.DenseWidth);
        Assert.Equal(4, encoder.Width);
        Assert.Equal([101], encoder.Embedded);

        var stats = new EncodingStats();
        Assert.Equal([1f, 0f, 1f, 6f], Encode(encoder, stats, "L005", "3", "q"));
        Assert.Equal([0f, 0f, 0f, 0f], Encode(encoder, stats, "new", null, "r"));
        Assert.Equal(["1 row with category levels not seen in training, encoded as no level: 'b' 1 value (e.g. 'r'); 'c' 1 value (e.g. 'new')", "missing values filled in (numbers: training mean; categories: '(missing)' or no level): 'a' 1"], stats.Warnings());
    }

    [Fact]
    public void An_embedded_column_is_the_one_hot_model_without_the_one_hot_matrix()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        using var embedded = new Mlp(2, [8], 3, 0, [50]);
        using var oneHot = new Mlp(2 + 50, [8], 3, 0);
        var from = embedded.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var to = oneHot.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var table = from["_embeddings.0.weight"];
        double bound = 1 / Math.Sqrt(52);
        Assert.True(table.abs().max().ToDouble() <= bound && from["_first.weight"].abs().max().ToDouble() <= bound, "initialised as the one-hot layer would be");
        Assert.Equal(0, table[0].abs().sum().ToDouble());
        using (torch.no_grad())
        {
            // The one-hot layer's weights: the dense columns, then one column per level (the embedding's rows 1..50).
            to["_first.weight"].copy_(torch.cat([from["_first.weight"], table.narrow(0, 1, 50).t()], 1));
            foreach (var name in new[] { "_first.bias", "_head.weight", "_head.bias" })
            {
                to[name].copy_(from[name]);
            }
        }
        foreach (int level in new[] { 7, 0, 50 })
        {
            var dense = new float[52];
            dense[0] = 0.5f;
            dense[1] = -1f;
            if (level > 0)
            {
                dense[1 + level] = 1f;
            }
            var viaEmbedding = embedded.Run(torch.tensor(new float[] { 0.5f, -1f, level }, 1, 3)).Outputs;
            var viaOneHot = oneHot.Run(torch.tensor(dense, 1, 52)).Outputs;
            Assert.True(torch.allclose(viaOneHot, viaEmbedding, 1e-5, 1e-6), $"level {level}");
        }
    }

    [Fact]
    public void A_table_with_an_id_column_trains_with_an_embedding_and_predicts_unseen_ids()
    {
        string file = Students(2000, 250);
        string run = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run("train", "--data", file, "--target", "grade", "--epochs", "2", "-o", run);
        Assert.True(exit == 0, error);
        Assert.Contains("embedded above 100 levels: student", TestTables.Plain(output), StringComparison.Ordinal);
        using (var trained = TrainedRun.Load(run))
        {
            var student = trained.Config.Encoder.Columns.Single(c => c.Name == "student");
            Assert.Equal(CategoryEncoding.Embedding, student.Encoding);
            Assert.InRange(student.Levels!.Length, 200, 250);
            Assert.Equal(1 + 5 + 1, trained.Config.Encoder.Width); // minutes, day one-hot, the student's index
        }

        string later = TestTables.Write("later.csv", "student,minutes,day\nS00001,10,Mon\nS99999,12,Tue\nS88888,14,Wed\n");
        var predicted = CliRunner.Run("predict", "--run", run, "--data", later, "-o", CliRunner.TempFolder() + ".csv");
        Assert.True(predicted.Exit == 0, predicted.Error);
        Assert.Contains("warning: 2 rows with category levels not seen in training, encoded as no level: 'student' 2 values (e.g. 'S99999', 'S88888')", TestTables.Plain(predicted.Output), StringComparison.Ordinal);
    }

    private static float[] Encode(FeatureEncoder encoder, EncodingStats stats, params string?[] cells)
    {
        var destination = new float[encoder.Width];
        encoder.Encode(cells, destination, stats);
        return destination;
    }

    // Answers of `students` students: minutes, a weekday, and a grade 1..3 from the student's ability.
    private static string Students(int rows, int students)
    {
        var random = new Random(5);
        var ability = Enumerable.Range(0, students).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var text = new StringBuilder("student,minutes,day,grade\n");
        for (int i = 0; i < rows; i++)
        {
            int s = random.Next(students);
            double latent = ability[s] + random.NextDouble() - 0.5;
            text.Append(CultureInfo.InvariantCulture, $"S{s:00000},{random.Next(5, 60)},{new[] { "Mon", "Tue", "Wed", "Thu", "Fri" }[i % 5]},{(latent < -0.3 ? 1 : latent < 0.3 ? 2 : 3)}\n");
        }
        return TestTables.Write("students.csv", text.ToString());
    }
}
