using System.Diagnostics;
using EarthMover.Benchmarks;
int batch = int.Parse(args[0]); int classes = int.Parse(args[1]);
var names = args.Length > 2 ? args[2].Split(',') : new[]{"coral","corn","logistic_at","ecoc","sord","binomial","cdw_ce","slace","qwk","mce","mce_qwk"};
var b = new OrdinalLossBenchmarks { Batch = batch, Classes = classes };
b.Setup();
var all = new Dictionary<string, Action> {
 ["ce"] = b.CrossEntropy, ["coral"] = b.Coral, ["corn"] = b.Corn, ["logistic_at"] = b.LogisticAt, ["ecoc"] = b.Ecoc,
 ["sord"] = b.SoftSord, ["binomial"] = b.SoftBinomial, ["cdw_ce"] = b.CdwCe, ["slace"] = b.Slace, ["qwk"] = b.Qwk, ["mce"] = b.Mce, ["mce_qwk"] = b.MceQwk };
if (args.Length > 3) { int n = int.Parse(args[3]); foreach (var name in names) for (int i = 0; i < n; i++) all[name](); return; }
var list = new List<string>{"ce"}; list.AddRange(names);
int calls = Math.Max(5, 2000000 / (batch * classes));
var times = list.ToDictionary(n => n, _ => new List<double>());
for (int w = 0; w < 3; w++) foreach (var n in list) for (int i = 0; i < calls; i++) all[n]();
for (int round = 0; round < 15; round++)
  foreach (var n in list) { var sw = Stopwatch.StartNew(); for (int i = 0; i < calls; i++) all[n](); times[n].Add(sw.Elapsed.TotalMicroseconds / calls); }
double Med(List<double> l) { var s = l.OrderBy(x => x).ToList(); return s[s.Count / 2]; }
double ce = Med(times["ce"]);
Console.WriteLine($"{batch}x{classes} ce {ce:F0} us");
foreach (var n in names) Console.WriteLine($"  {n,-12} {Med(times[n]),8:F0} us  {Med(times[n]) / ce:F2}");
b.Cleanup();
