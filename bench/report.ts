// One report: bundle size and encoding throughput against the official SDK, in one run.
import { readFileSync } from "node:fs";
import { runEncodeBench } from "./encode.ts";
import { fmt, machine } from "./harness.ts";
import { bundleSize as bundle } from "../scripts/check-size.ts";
import { CORPUS_SPANS } from "./corpus.ts";

const peers = ["@opentelemetry/sdk-trace", "@opentelemetry/otlp-transformer", "@opentelemetry/exporter-trace-otlp-proto"];
const version = (p: string) => JSON.parse(readFileSync(`bench/node_modules/${p}/package.json`, "utf8")).version as string;

console.log(`Machine: ${machine()}`);
console.log(`Peers: ${peers.map((p) => `${p}@${version(p)}`).join(", ")}\n`);

console.log("## Bundle size (esbuild, --platform=browser, --conditions=workerd,worker,browser, minified)\n");
console.log("| setup | raw | gzip | brotli | gzip ratio vs official |");
console.log("| --- | ---: | ---: | ---: | ---: |");
const ours = await bundle("examples/size/traces-only.ts");
const official = await bundle("bench/workers/official-traces.ts");
for (const [name, s] of [["edge-otel, traces only", ours], ["official SDK, traces only", official]] as const) {
  console.log(`| ${name} | ${fmt(s.raw)} B | ${fmt(s.gzip)} B | ${fmt(s.brotli)} B | ${fmt(s.gzip / official.gzip, 2)} |`);
}

console.log(`\n## Encoding ${fmt(CORPUS_SPANS)} spans (8 attributes + 1 event each, 5-span traces), batches of 512; median of 7 runs after 3 warm-up runs\n`);
console.log("| encoder | spans/s (median) | spans/s (min–max) | MB/s | bytes/span | ratio vs official |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
const rows = await runEncodeBench();
const rate = (ms: number) => (CORPUS_SPANS / ms) * 1000;
for (const r of rows) {
  const peer = rows.find((x) => x.name.startsWith("official") && x.name.includes(r.name.includes("JSON") ? "Json" : "Protobuf"))!;
  console.log(
    `| ${r.name} | ${fmt(rate(r.time.median))} | ${fmt(rate(r.time.max))}–${fmt(rate(r.time.min))} | ${fmt(r.bytes / 1e6 / (r.time.median / 1000), 1)} | ${fmt(r.bytes / CORPUS_SPANS, 1)} | ${fmt(peer.time.median / r.time.median, 2)}× |`,
  );
}

const proto = rows.find((r) => r.name === "edge-otel protobuf")!;
const officialProto = rows.find((r) => r.name === "official ProtobufTraceSerializer")!;
const protoRatio = officialProto.time.median / proto.time.median;
console.log("\n## Against the targets of issue #2\n");
console.log(`- Traces-only bundle: ${fmt(ours.gzip)} B gzip against a 7,168 B target: ${ours.gzip <= 7168 ? "met" : "not met"}.`);
console.log(`- Protobuf encoding: ${fmt(protoRatio, 2)}× the official ProtobufTraceSerializer against an 8× target: ${protoRatio >= 8 ? "met" : "not met"}.`);
console.log(
  "\nWhat bounds them now: the bundle carries every feature a default config can select by name at run time " +
    "(OTEL_* parsing, tracecontext + baggage + B3, protobuf + JSON, retries with Retry-After, gzip, partial " +
    "success, limits); `npx node scripts/check-size.ts --report` lists each file's share. The official 3.x " +
    "serializer is itself a hand-written writer (not the ~30k spans/s of older releases); ours is bounded by " +
    "the encoded key/value cache's two map lookups per attribute, reading hex ids a character at a time, and " +
    "per-field call overhead.",
);
