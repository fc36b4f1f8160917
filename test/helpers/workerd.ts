/**
 * Runs Workers in real workerd (through miniflare) for tests: bundles an entry the way wrangler does, and reads
 * the spans a loopback receiver got, decoded with protobufjs.
 */
import { build } from "esbuild";
import { Miniflare, type MiniflareOptions } from "miniflare";
import { decodeTraces } from "./proto-decoder.ts";
import type { ReceivedRequest, Receiver } from "./otlp-receiver.ts";

/** Bundles `entry` as wrangler does: ESM, browser platform, workerd conditions, `cloudflare:*` left to the runtime. */
export async function bundleWorker(entry: string, minify = false): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    external: ["cloudflare:*"],
    target: "es2022",
    minify,
    write: false,
    logLevel: "error",
  });
  return out.outputFiles[0]!.text;
}

/** Starts a Miniflare running `code` (modules listed explicitly, so its import scanner is not involved). */
export function startWorker(code: string, options: Omit<MiniflareOptions, "modules" | "script" | "scriptPath">): Miniflare {
  return new Miniflare({ ...options, modules: [{ type: "ESModule", path: "worker.mjs", contents: code }] } as MiniflareOptions);
}

/** A decoded span with its resource attributes, attributes as a plain object. */
export interface SpanView {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  status: { code?: number; message?: string };
  events: { name: string; attributes: Record<string, unknown> }[];
  links: { traceId: string; spanId: string }[];
  /** The receiver request this span came in. */
  request: ReceivedRequest;
}

const value = (v: any): unknown =>
  v == null
    ? undefined
    : "stringValue" in v
      ? v.stringValue
      : "boolValue" in v
        ? v.boolValue
        : "intValue" in v
          ? Number(v.intValue)
          : "doubleValue" in v
            ? v.doubleValue
            : "arrayValue" in v
              ? (v.arrayValue.values ?? []).map(value)
              : undefined;
const attrs = (list: any[] | undefined) => Object.fromEntries((list ?? []).map((a) => [a.key, value(a.value)]));

const decoded = new WeakMap<ReceivedRequest, SpanView[]>();

/** Every span in `requests` (trace exports only). */
export function decodeSpans(requests: ReceivedRequest[]): SpanView[] {
  return requests.flatMap((r) => (r.path !== "/v1/traces" ? [] : decoded.get(r) ?? decoded.set(r, decodeRequest(r)).get(r)!));
}

function decodeRequest(request: ReceivedRequest): SpanView[] {
  const out: SpanView[] = [];
  {
    for (const rs of decodeTraces(request.body).resourceSpans ?? [])
      for (const ss of rs.scopeSpans ?? [])
        for (const s of ss.spans ?? [])
          out.push({
            traceId: s.traceId,
            spanId: s.spanId,
            parentSpanId: s.parentSpanId ?? "",
            name: s.name,
            kind: s.kind ?? 0,
            startNs: BigInt(s.startTimeUnixNano),
            endNs: BigInt(s.endTimeUnixNano),
            attributes: attrs(s.attributes),
            resource: attrs(rs.resource?.attributes),
            status: s.status ?? {},
            events: (s.events ?? []).map((e: any) => ({ name: e.name, attributes: attrs(e.attributes) })),
            links: (s.links ?? []).map((l: any) => ({ traceId: l.traceId, spanId: l.spanId })),
            request,
          });
  }
  return out;
}

/** Polls `receiver` until `pick` returns a value other than undefined (or throws after `timeoutMs`). */
export async function waitForSpans<T>(receiver: Receiver, pick: (spans: SpanView[]) => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = pick(decodeSpans(receiver.requests));
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error("spans did not arrive in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}
