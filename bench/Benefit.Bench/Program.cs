using Benefit.Bench;
using Benefit.Bench.Fhir;
using Benefit.Bench.Http;
using Benefit.Bench.Nightly;
using Benefit.Bench.Ranking;

// Run from the repository root (bench/run.sh does): data/ and models/ paths are relative to it.
const string usage = """
    usage: benefit-bench <verb> [options]
      points    --api http://127.0.0.1:5190 --key <base64 HS256 key> --label sqlite --clients 32 --warmup 5 --seconds 20 --target "≥ 2,000/s"
      fhir-sync --fhir http://127.0.0.1:58095 --patients 1000 --sample 100 --concurrency 4
      mapping   [--quick]      BenchmarkDotNet: parse + map one patient's observations
      ranking   [--quick]      BenchmarkDotNet: rank 200 interventions three ways
      nightly   --data <cohort dir> --patients 100000 --interactions 1000000 --fhir <url> --fhir-patients 100 --out <dir>
    """;
if (args.Length == 0)
{
    Console.Error.WriteLine(usage);
    return 2;
}
var options = new Options(args.Skip(1));
return args[0] switch
{
    "points" => await PointsBench.RunAsync(options),
    "fhir-sync" => await FhirSyncBench.RunAsync(options),
    "mapping" => MappingBenchmarks.Run(options),
    "ranking" => RankingBenchmarks.Run(options),
    "nightly" => await NightlyBench.RunAsync(options),
    _ => Fail(),
};

int Fail()
{
    Console.Error.WriteLine(usage);
    return 2;
}
