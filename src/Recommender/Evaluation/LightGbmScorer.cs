using Benefit.Recommender.Catalog;
using Benefit.Recommender.Features;
using Benefit.Recommender.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Benefit.Recommender.Evaluation;

/// <summary>LightGBM LambdaRank on context + attributes (no identities), grouped per patient: the strong feature-based baseline.</summary>
public sealed class LightGbmScorer : IScorer
{
    private sealed class Row
    {
        public float Label { get; set; }
        public uint Group { get; set; }
        public float[] Features { get; set; } = [];
    }

    private sealed class Scored
    {
        public float Score { get; set; }
    }

    /// <summary>One split, packed so a tree walk touches one small struct per level; a negative child is a leaf (~child), as in ML.NET.</summary>
    private readonly record struct Node(int Feature, float Threshold, int Left, int Right, int[]? Categories);

    private sealed record Tree(Node[] Nodes, double[] Leaves, double Weight);

    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly SchemaDefinition _schema;
    private readonly Dictionary<string, float[]> _attributes;
    private readonly Tree[] _trees;
    private readonly double _bias;

    public LightGbmScorer(IReadOnlyList<TrainingExample> train, InterventionCatalog catalog, int seed, int iterations = 100)
    {
        _ml = new MLContext(seed);
        _attributes = catalog.Items.ToDictionary(i => i.Id, AttributeFeatures.Encode, StringComparer.Ordinal);
        var groups = train.Select(r => r.PatientId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select((id, n) => (id, n)).ToDictionary(x => x.id, x => (uint)x.n, StringComparer.Ordinal);
        _schema = SchemaDefinition.Create(typeof(Row));
        _schema[nameof(Row.Group)].ColumnType = new KeyDataViewType(typeof(uint), Math.Max(1, groups.Count));
        _schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, ContextFeatures.Length + AttributeFeatures.Length);
        // LambdaRank needs each group's rows together.
        var rows = train.Where(r => _attributes.ContainsKey(r.InterventionId)).OrderBy(r => groups[r.PatientId])
            .Select(r => ToRow(r, r.InterventionId, groups[r.PatientId], r.Label ? 1 : 0)).ToList();
        var data = _ml.Data.LoadFromEnumerable(rows, _schema);
        var trainer = _ml.Ranking.Trainers.LightGbm(new Microsoft.ML.Trainers.LightGbm.LightGbmRankingTrainer.Options
        {
            LabelColumnName = nameof(Row.Label), FeatureColumnName = nameof(Row.Features), RowGroupColumnName = nameof(Row.Group),
            NumberOfIterations = iterations, NumberOfLeaves = 31, MinimumExampleCountPerLeaf = 20, LearningRate = 0.1,
            Seed = seed, NumberOfThreads = 1, Verbose = false, Silent = true,
        });
        var fitted = trainer.Fit(data);
        _model = fitted;
        var ensemble = fitted.Model.TrainedTreeEnsemble;
        _bias = ensemble.Bias;
        _trees = [.. ensemble.Trees.Select((t, n) => new Tree(
            [.. Enumerable.Range(0, t.NumberOfNodes).Select(k => new Node(t.NumericalSplitFeatureIndexes[k], t.NumericalSplitThresholds[k],
                t.LeftChild[k], t.RightChild[k], t.CategoricalSplitFlags[k] ? [.. t.GetCategoricalSplitFeaturesAt(k)] : null))],
            [.. t.LeafValues], ensemble.TreeWeights[n]))];
    }

    public const string DisplayName = "LightGBM LambdaRank";

    public string Name => DisplayName;

    /// <summary>Walks the trees directly: the sum ML.NET computes, without a data view (scoring a large holdout through one took longer than training).</summary>
    public float[] Score(TrainingExample p, IReadOnlyList<Intervention> items)
    {
        var features = new float[ContextFeatures.Length + AttributeFeatures.Length];
        p.Context.CopyTo(features, 0);
        var scores = new float[items.Count];
        for (var n = 0; n < items.Count; n++)
        {
            _attributes[items[n].Id].CopyTo(features, ContextFeatures.Length);
            var sum = _bias;
            foreach (var tree in _trees)
                sum += tree.Weight * tree.Leaves[Leaf(tree, features)];
            scores[n] = (float)sum;
        }
        return scores;
    }

    /// <summary>ML.NET's own scoring of the same rows, to check the tree walk against.</summary>
    public IEnumerable<float[]> ScoreWithTransformer(IEnumerable<TrainingExample> patients, IReadOnlyList<Intervention> items)
    {
        var data = _ml.Data.LoadFromEnumerable(patients.SelectMany(p => items.Select(i => ToRow(p, i.Id, 0, 0))), _schema);
        return _model.Transform(data).GetColumn<float>(nameof(Scored.Score)).Chunk(items.Count);
    }

    /// <summary>ML.NET's rule (InternalRegressionTree.GetLeafCore): a numeric split goes left when value ≤ threshold, a categorical one right when any of its features is positive.</summary>
    private static int Leaf(Tree tree, float[] features)
    {
        if (tree.Leaves.Length == 1) return 0;
        var nodes = tree.Nodes;
        var node = 0;
        while (node >= 0)
        {
            ref readonly var split = ref nodes[node];
            var right = split.Categories is null ? features[split.Feature] > split.Threshold : split.Categories.Any(k => features[k] > 0);
            node = right ? split.Right : split.Left;
        }
        return ~node;
    }

    private Row ToRow(TrainingExample r, string itemId, uint group, float label) =>
        new() { Label = label, Group = group, Features = [.. r.Context, .. _attributes[itemId]] };
}
