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

    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly SchemaDefinition _schema;
    private readonly Dictionary<string, float[]> _attributes;

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
        _model = trainer.Fit(data);
    }

    public const string DisplayName = "LightGBM LambdaRank";

    public string Name => DisplayName;

    public float[] Score(TrainingExample p, IReadOnlyList<Intervention> items)
    {
        var data = _ml.Data.LoadFromEnumerable(items.Select(i => ToRow(p, i.Id, 0, 0)), _schema);
        return [.. _model.Transform(data).GetColumn<float>(nameof(Scored.Score))];
    }

    public IEnumerable<float[]> ScoreMany(IEnumerable<TrainingExample> patients, IReadOnlyList<Intervention> items)
    {
        var data = _ml.Data.LoadFromEnumerable(patients.SelectMany(p => items.Select(i => ToRow(p, i.Id, 0, 0))), _schema);
        return _model.Transform(data).GetColumn<float>(nameof(Scored.Score)).Chunk(items.Count);
    }

    private Row ToRow(TrainingExample r, string itemId, uint group, float label) =>
        new() { Label = label, Group = group, Features = [.. r.Context, .. _attributes[itemId]] };
}
