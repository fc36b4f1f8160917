// One report: edge-otel against its peers, every figure from this run, on this machine. Each heavy
// measurement runs in its own child process (bench/tasks/*.ts). Prints Markdown to stdout.
// Run: npm run bench (from the repo root; `-- --write` saves it to BENCHMARKS.md).
import { readFileSync, rmSync } from "node:fs";
import { bundle, OUT_DIR, setupId, setups, sizes, workerdWrapper, writeOut, type Setup } from "./bundles.ts";
import { CORPUS_SPANS, SPANS_PER_TRACE } from "./corpus.ts";
import { BENCH_DIR, child, fmt, installedVersion, machine, RUNS, scale, summarise, WARMUP, type Summary } from "./harness.ts";
import { hotSpots } from "./profile.ts";

type Sdk = Setup["sdk"];
const LABEL: Record<Sdk, string> = {
  empty: "empty module",
  ours: "**edge-otel**",
  official: "official SDK 3.x",
  "otel-cf-workers": "otel-cf-workers",
  "vercel-otel": "@vercel/otel",
};
const out: string[] = [];
const say = (line = "") => out.push(line);
/** `median (min–max)`. */
const cell = (s: Summary, digits = 0) => `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;

/**
 * Each row's figure divided by the best peer's (ours excluded), so edge-otel's row reads directly as
 * "times the best peer": below 1 is better for sizes and times, above 1 for rates.
 */
function ratios<T extends { sdk: Sdk; value: number | undefined }>(rows: T[], lowerIsBetter: boolean): (T & { ratio: string })[] {
  const peers = rows.filter((r) => r.sdk !== "ours" && r.sdk !== "empty" && r.value !== undefined).map((r) => r.value!);
  const best = peers.length ? (lowerIsBetter ? Math.min(...peers) : Math.max(...peers)) : undefined;
  return rows.map((r) => ({ ...r, ratio: r.value === undefined || best === undefined || r.sdk === "empty" ? "" : `${fmt(r.value / best, 2)}×` }));
}

// ── Header ────────────────────────────────────────────────────────────────────────────────────
const v = installedVersion;
const rootVersion = (p: string) => {
  try {
    return JSON.parse(readFileSync(`${BENCH_DIR}../node_modules/${p}/package.json`, "utf8")).version as string;
  } catch {
    return undefined;
  }
};
const miniflare = rootVersion("miniflare");
say(`Machine: ${machine()}. workerd ${rootVersion("workerd") ?? "n/a"} (Miniflare ${miniflare ?? "not installed"}), esbuild ${rootVersion("esbuild")}.`);
say();
say("Peers (devDependencies of bench/ only):");
say();
say(
  `- official OpenTelemetry JS: ${["api", "sdk-trace", "sdk-metrics", "sdk-logs", "exporter-trace-otlp-proto", "exporter-metrics-otlp-proto", "exporter-logs-otlp-proto", "otlp-transformer", "core", "resources", "semantic-conventions"].map((p) => `${p}@${v(`@opentelemetry/${p}`)}`).join(", ")} (3.x carries the logs API in \`@opentelemetry/api\`; \`api-logs\` is a 2.x-line package).`,
);
const cf = "peers/otel-cf-workers";
say(
  `- @microlabs/otel-cf-workers@${v("@microlabs/otel-cf-workers", cf)} with api@${v("@opentelemetry/api", cf)}, sdk-trace-base@${v("@opentelemetry/sdk-trace-base", cf)}, otlp-transformer@${v("@opentelemetry/otlp-transformer", cf)}, semantic-conventions@${v("@opentelemetry/semantic-conventions", cf)} (pinned: later ones do not bundle).`,
);
const vc = "peers/vercel-otel";
say(
  `- @vercel/otel@${v("@vercel/otel", vc)} (bundles its own SDK) with its peers api@${v("@opentelemetry/api", vc)}, api-logs@${v("@opentelemetry/api-logs", vc)}, sdk-metrics@${v("@opentelemetry/sdk-metrics", vc)}, sdk-logs@${v("@opentelemetry/sdk-logs", vc)}, sdk-trace-base@${v("@opentelemetry/sdk-trace-base", vc)}, exporter-metrics-otlp-proto@${v("@opentelemetry/exporter-metrics-otlp-proto", vc)}, exporter-logs-otlp-proto@${v("@opentelemetry/exporter-logs-otlp-proto", vc)}.`,
);
say();
say(
  `Every figure is the median of ${RUNS} runs after ${WARMUP} warm-up runs, with (min–max); "÷ best peer" divides a row's median by the best peer's. ` +
    `The corpus is ${fmt(CORPUS_SPANS)} spans in ${SPANS_PER_TRACE}-span traces, each with 8 attributes and 1 event (bench/corpus.ts).`,
);

// ── Our metrics and logs: wired in yet? ───────────────────────────────────────────────────────────
const oursHot = child<{ pending?: true; addNs?: Summary; recordNs?: Summary; emitNs?: Summary }>("tasks/signals.ts", ["ours", "hot"]);
const oursPending = oursHot.pending === true;

// ── 1. Bundle size ─────────────────────────────────────────────────────────────────────────────
rmSync(OUT_DIR, { recursive: true, force: true });
const all = setups();
const live = all.filter((s) => s.entry && !(s.sdk === "ours" && s.signals === "all" && oursPending));
say();
say("## 1. Bundle size");
say();
say(
  "Equivalent Worker setups (one SERVER span per request with W3C propagation; all signals adds a counter, a histogram and a log record), " +
    "exported as OTLP/HTTP and flushed through `waitUntil`, built as wrangler builds: esbuild, ESM, `--platform=browser`, " +
    "`--conditions=workerd,worker,browser`, minified, runtime modules external. Bytes; gzip level 9, brotli default.",
);
const sized = new Map<string, ReturnType<typeof sizes>>();
for (const s of live) sized.set(setupId(s), sizes((await bundle(s.entry!)).code));
for (const signals of ["traces", "all"] as const) {
  say();
  say(`| ${signals === "traces" ? "traces only" : "all three signals"} | entry | raw | gzip | brotli | gzip ÷ best peer |`);
  say("| --- | --- | ---: | ---: | ---: | ---: |");
  const rows = all
    .filter((s) => s.signals === signals && s.sdk !== "empty")
    .map((s) => ({ s, sdk: s.sdk, value: sized.get(setupId(s))?.gzip }));
  for (const r of ratios(rows, true)) {
    const z = sized.get(setupId(r.s));
    const why = !r.s.entry ? "n/a (traces only)" : "pending (metrics and logs not wired in yet)";
    const label = r.s.extra ? `${LABEL[r.sdk]}: ${r.s.extra}` : LABEL[r.sdk];
    say(z ? `| ${label} | \`${r.s.entry}\` | ${fmt(z.raw)} | ${fmt(z.gzip)} | ${fmt(z.brotli)} | ${r.ratio} |` : `| ${LABEL[r.sdk]} | | ${why} | | | |`);
  }
}

// ── 2. Cold start ──────────────────────────────────────────────────────────────────────────────
type Cold = { importMs: number; requestMs: number };
const nodeFiles = new Map<string, string>();
const workerdList: { id: string; path: string }[] = [];
for (const s of live.filter((x) => !x.extra)) {
  const id = setupId(s);
  nodeFiles.set(id, writeOut(`${id}.mjs`, (await bundle(s.entry!, "node")).code));
  workerdList.push({ id, path: writeOut(`${id}.workerd.mjs`, workerdWrapper(await bundle(s.entry!, "iife"))) });
}
// Node: a fresh process per sample, setups interleaved so drift hits all alike; the first round is warm-up.
const nodeCold = new Map<string, Cold[]>();
for (let run = 0; run <= RUNS; run++) {
  for (const [id, file] of nodeFiles) {
    const r = child<Cold>("tasks/cold-node.ts", [file]);
    if (run > 0) nodeCold.set(id, [...(nodeCold.get(id) ?? []), r]);
  }
}
const workerdCold = miniflare ? child<Record<string, Cold[]>>("tasks/cold-workerd.ts", [writeOut("workerd.json", JSON.stringify(workerdList))]) : {};
say();
say("## 2. Cold start");
say();
say(
  "Loading the bundle of section 1 (import: read, compile, evaluate) and serving the first request up to its Response (SDK initialisation included), " +
    "in ms, against the empty module. Node: a fresh process per sample. workerd: one Miniflare per run with every setup as 8 separate Workers, " +
    "timed inside each isolate (its clock ticks in whole ms, so a run's figure is the mean of the 8; workerd has compiled the module at startup, " +
    "so its import is evaluation only). Exports go to a stub that answers 200.",
);
const coldTotal = (xs: Cold[] | undefined) => (xs ? summarise(xs.map((x) => x.importMs + x.requestMs)) : undefined);
const coldParts = (xs: Cold[] | undefined) =>
  xs ? `${fmt(summarise(xs.map((x) => x.importMs)).median, 2)} + ${fmt(summarise(xs.map((x) => x.requestMs)).median, 2)}` : "";
const nodeEmpty = coldTotal(nodeCold.get("empty-traces"))!;
const workerdEmpty = coldTotal(workerdCold["empty-traces"]);
for (const signals of ["traces", "all"] as const) {
  say();
  say(`| ${signals === "traces" ? "traces only" : "all three signals"} | Node import + request | Node total | Node Δ vs empty | ÷ best peer | workerd import + request | workerd total | workerd Δ vs empty | ÷ best peer |`);
  say("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  const rows = all
    .filter((s) => !s.extra && ((s.signals === signals && s.sdk !== "empty") || (s.sdk === "empty" && signals === "traces")))
    .map((s) => {
      const id = setupId(s);
      const n = coldTotal(nodeCold.get(id));
      const w = coldTotal(workerdCold[id]);
      return { s, id, sdk: s.sdk, n, w, value: n && n.median - nodeEmpty.median, wDelta: w && workerdEmpty && w.median - workerdEmpty.median };
    });
  const wr = ratios(rows.map((r) => ({ sdk: r.sdk, value: r.wDelta })), true);
  ratios(rows, true).forEach((r, i) => {
    if (!r.n) {
      say(`| ${LABEL[r.sdk]} | ${!r.s.entry ? "n/a (traces only)" : "pending"} | | | | | | | |`);
      return;
    }
    const w = r.w ? [coldParts(workerdCold[r.id]), cell(r.w, 2), fmt(r.wDelta!, 2), wr[i]!.ratio] : ["n/a", "", "", ""];
    say(`| ${LABEL[r.sdk]} | ${coldParts(nodeCold.get(r.id))} | ${cell(r.n, 2)} | ${fmt(r.value!, 2)} | ${r.ratio} | ${w.join(" | ")} |`);
  });
}

// ── 3. CPU per span, 5. heap per span ──────────────────────────────────────────────────────────
const traceSdks: Sdk[] = ["ours", "official", "vercel-otel"];
const cpu = new Map(traceSdks.map((sdk) => [sdk, child<{ usPerSpan: Summary }>("tasks/cpu-span.ts", [sdk]).usPerSpan]));
say();
say("## 3. CPU per span");
say();
say(
  "Start, 8 attributes, 1 event, end, and export as OTLP protobuf, for the whole corpus through each SDK's batch processor (queue sized to hold it), " +
    "µs per span (wall time, one thread). edge-otel exports through its real OTLP exporter to a fetch stub, @vercel/otel through its own protobuf exporter " +
    "to a fetch stub, the official SDK through an exporter that runs its protobuf serializer (its Node transport is http, not fetch). " +
    "otel-cf-workers creates spans only inside an instrumented Worker handler; its engine is sdk-trace-base 2.x, as in @vercel/otel.",
);
say();
say("| SDK | µs/span | ÷ best peer |");
say("| --- | ---: | ---: |");
for (const r of ratios([...traceSdks.map((sdk) => ({ sdk, value: cpu.get(sdk)!.median })), { sdk: "otel-cf-workers" as Sdk, value: undefined }], true)) {
  say(`| ${LABEL[r.sdk]} | ${cpu.get(r.sdk) ? cell(cpu.get(r.sdk)!, 2) : "n/a"} | ${r.ratio} |`);
}

// ── 4. Encoding throughput, 6. bytes on the wire ───────────────────────────────────────────────
type EncodeRow = { name: string; ms: Summary; bytes: number; gzipBytes: number };
const encodeSdks: Sdk[] = ["ours", "official", "otel-cf-workers"];
const enc = new Map(encodeSdks.map((sdk) => [sdk, child<EncodeRow[]>("tasks/encode.ts", [sdk])]));
const ENCODER: Record<string, Record<string, string>> = {
  ours: { protobuf: "encodeTraceRequest", JSON: "encodeTraceRequestJson" },
  official: { protobuf: "otlp-transformer 0.301 ProtobufTraceSerializer", JSON: "otlp-transformer 0.301 JsonTraceSerializer" },
  "otel-cf-workers": { protobuf: "otlp-transformer 0.200 ProtobufTraceSerializer", JSON: "otlp-transformer 0.200 JsonTraceSerializer (what its exporter sends)" },
};
say();
say("## 4. Encoding throughput");
say();
say(`The corpus made through each SDK, encoded in batches of 512 spans per ExportTraceServiceRequest.`);
for (const format of ["protobuf", "JSON"]) {
  say();
  say(`| ${format} | encoder | spans/s | MB/s | ÷ best peer |`);
  say("| --- | --- | ---: | ---: | ---: |");
  const rows = encodeSdks.map((sdk) => {
    const r = enc.get(sdk)!.find((x) => x.name === format)!;
    const rate = scale(r.ms, (ms) => (CORPUS_SPANS / ms) * 1000);
    return { sdk, r, rate, value: rate.median };
  });
  for (const r of ratios(rows, false)) {
    say(`| ${LABEL[r.sdk]} | ${ENCODER[r.sdk]![format]} | ${cell(r.rate)} | ${fmt(r.r.bytes / 1e6 / (r.r.ms.median / 1000), 1)} | ${r.ratio} |`);
  }
}

const heap = new Map(traceSdks.map((sdk) => [sdk, child<{ bytesPerSpan: Summary }>("tasks/heap.ts", [sdk], ["--expose-gc"]).bytesPerSpan]));
say();
say("## 5. Heap retained per buffered span");
say();
say("The corpus ended into each SDK's batch processor, nothing exported yet: growth of the V8 heap after full GCs, bytes per span.");
say();
say("| SDK | bytes/span | ÷ best peer |");
say("| --- | ---: | ---: |");
for (const r of ratios(traceSdks.map((sdk) => ({ sdk, value: heap.get(sdk)!.median })), true)) say(`| ${LABEL[r.sdk]} | ${cell(heap.get(r.sdk)!)} | ${r.ratio} |`);

say();
say("## 6. Bytes on the wire per span");
say();
say("The request bodies of section 4 (batches of 512), and each body gzipped (level 6, as CompressionStream and most exporters do). Deterministic: one run.");
say();
say("| SDK | protobuf raw | protobuf gzip | ÷ best peer (gzip) | JSON raw | JSON gzip | ÷ best peer (gzip) |");
say("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
const wire = (sdk: Sdk, format: string) => enc.get(sdk)!.find((x) => x.name === format)!;
const wp = ratios(encodeSdks.map((sdk) => ({ sdk, value: wire(sdk, "protobuf").gzipBytes })), true);
const wj = ratios(encodeSdks.map((sdk) => ({ sdk, value: wire(sdk, "JSON").gzipBytes })), true);
encodeSdks.forEach((sdk, i) => {
  const p = wire(sdk, "protobuf");
  const j = wire(sdk, "JSON");
  const per = (b: number) => fmt(b / CORPUS_SPANS, 1);
  say(`| ${LABEL[sdk]} | ${per(p.bytes)} | ${per(p.gzipBytes)} | ${wp[i]!.ratio} | ${per(j.bytes)} | ${per(j.gzipBytes)} | ${wj[i]!.ratio} |`);
});

// ── 7. Metrics and logs ────────────────────────────────────────────────────────────────────────
type Hot = { pending?: true; addNs?: Summary; recordNs?: Summary; emitNs?: Summary };
const signalSdks: Sdk[] = ["ours", "official", "vercel-otel"];
const hot = new Map<Sdk, Hot>(signalSdks.map((sdk) => [sdk, sdk === "ours" ? oursHot : child<Hot>("tasks/signals.ts", [sdk, "hot"])]));
const collect = new Map(signalSdks.map((sdk) => [sdk, child<{ pending?: true; collectMs?: Summary }>("tasks/signals.ts", [sdk, "collect"])]));
say();
say("## 7. Metrics and logs hot paths");
say();
say(
  "counter.add and histogram.record with 3 attributes (10 distinct sets), logger.emit of an INFO record with a string body and 3 attributes: ns per call. " +
    "Collection: 500 counter + 500 histogram series collected and encoded as one OTLP protobuf request (edge-otel: `flush()` to a fetch stub), ms.",
);
say();
say("| SDK | counter.add ns | ÷ best peer | histogram.record ns | ÷ best peer | logger.emit ns | ÷ best peer | collect 1,000 series ms | ÷ best peer |");
say("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
const col = (pick: (sdk: Sdk) => Summary | undefined) => ratios(signalSdks.map((sdk) => ({ sdk, value: pick(sdk)?.median })), true);
const cols = [col((s) => hot.get(s)!.addNs), col((s) => hot.get(s)!.recordNs), col((s) => hot.get(s)!.emitNs), col((s) => collect.get(s)!.collectMs)];
const picks = [(h: Hot) => h.addNs, (h: Hot) => h.recordNs, (h: Hot) => h.emitNs];
signalSdks.forEach((sdk, i) => {
  if (hot.get(sdk)!.pending) return say(`| ${LABEL[sdk]} | pending (metrics and logs SDKs not wired into createTelemetry yet) | | | | | | | |`);
  const cells = picks.map((p, k) => `${cell(p(hot.get(sdk)!)!)} | ${cols[k]![i]!.ratio}`);
  cells.push(`${cell(collect.get(sdk)!.collectMs!, 2)} | ${cols[3]![i]!.ratio}`);
  say(`| ${LABEL[sdk]} | ${cells.join(" | ")} |`);
});

// ── Targets ─────────────────────────────────────────────────────────────────────────────────────
const official = (m: Map<Sdk, Summary>) => m.get("official")!.median;
const protoRate = (sdk: Sdk) => CORPUS_SPANS / wire(sdk, "protobuf").ms.median;
const allOurs = sized.get("ours-all");
const example = sized.get("ours-all-example");
const allOfficial = sized.get("official-all")!;
const third = (z: { gzip: number }) => `${fmt(z.gzip)} B = ${fmt(z.gzip / allOfficial.gzip, 2)} of ${fmt(allOfficial.gzip)} B`;
const oursColdNode = coldTotal(nodeCold.get("ours-traces"))!.median - nodeEmpty.median;
const oursColdWorkerd = workerdEmpty && coldTotal(workerdCold["ours-traces"])!.median - workerdEmpty.median;
const targets: [string, string, boolean | undefined][] = [
  [
    "Bundle, all signals, at most 1/3 of the official SDK (gzip)",
    allOurs
      ? (example ? `examples/cloudflare ${third(example)}; the equivalent Worker ` : "") + third(allOurs)
      : "pending (metrics and logs not wired in)",
    allOurs ? (example ?? allOurs).gzip * 3 <= allOfficial.gzip : undefined,
  ],
  ["Encoding (protobuf) at least 8× the official SDK", `${fmt(protoRate("ours") / protoRate("official"), 2)}×`, protoRate("ours") >= 8 * protoRate("official")],
  ["CPU per span at least 5× faster than the official SDK", `${fmt(official(cpu) / cpu.get("ours")!.median, 2)}×`, official(cpu) >= 5 * cpu.get("ours")!.median],
  ["Heap per span at most 1/3 of the official SDK", `${fmt(heap.get("ours")!.median / official(heap), 2)}`, heap.get("ours")!.median * 3 <= official(heap)],
  [
    "Cold start (traces) within 2 ms of an empty module",
    `Node +${fmt(oursColdNode, 2)} ms, workerd ${oursColdWorkerd === undefined ? "n/a" : `+${fmt(oursColdWorkerd, 2)} ms`}`,
    oursColdNode <= 2 && (oursColdWorkerd === undefined || oursColdWorkerd <= 2),
  ],
];
say();
say("## Targets (issue #5), as ratios from this run");
say();
say("| target | measured | |");
say("| --- | --- | --- |");
for (const [name, measured, met] of targets) say(`| ${name} | ${measured} | ${met === undefined ? "pending" : met ? "met" : "**not met**"} |`);

// ── Where the time goes ─────────────────────────────────────────────────────────────────────────
if (targets.some(([, , met]) => met === false)) {
  say();
  say("## Where our time goes");
  say();
  say("Self time of the hottest functions under `node --cpu-prof` (our files only, share of all samples of the profiled task):");
  for (const [title, script, args] of [
    ["CPU per span (tasks/cpu-span.ts ours)", "tasks/cpu-span.ts", ["ours"]],
    ["Protobuf and JSON encoding (tasks/encode.ts ours)", "tasks/encode.ts", ["ours"]],
  ] as const) {
    say();
    const p = hotSpots(script, [...args]);
    say(`${title}: src/ ${fmt(p.oursPercent, 1)}% of samples in all, garbage collector ${fmt(p.gcPercent, 1)}%; the rest is V8 built-ins, Node and the corpus set-up.`);
    say();
    for (const h of p.spots) say(`- ${h.where}: ${fmt(h.percent, 1)}%`);
  }
}

process.stdout.write(`${out.join("\n")}\n`);
