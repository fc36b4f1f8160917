import { setAttribute, type AttributeLimits } from "../common/attributes.ts";
import { now } from "../common/clock.ts";
import type { AttributeList, Attributes, DiagLogger, InstrumentationScope } from "../common/types.ts";
import { isSpanContextValid, type SpanContext } from "../trace/span-context.ts";
import { newSeries, type Aggregator, type Series } from "./aggregation.ts";
import { newReservoir, slot } from "./exemplar-reservoir.ts";
import type { Exemplar, MetricData } from "./metric-data.ts";

/*
 * A metric stream: the series of one instrument as a view (or the default) shapes them, found by attributes.
 * The hot path walks a trie keyed by the attributes exactly as given, key by key in their order, and
 * allocates nothing. A miss computes the canonical attribute set (valid values, view allow-list, sorted by
 * key), finds or creates its series, and records the path as an alias. Aliases are not series: only
 * canonical sets count toward the cardinality limit.
 */

// A trie node: the key most often seen at this depth with its values (`k`, `m`), other keys (`o`), and the
// series the path so far leads to (`s`).
interface Node {
  k: string | undefined;
  m: Map<unknown, Node> | undefined;
  o: Map<string, Map<unknown, Node>> | undefined;
  s: Series | undefined;
}
const node = (): Node => ({ k: undefined, m: undefined, o: undefined, s: undefined });

/** One metric stream and its series. */
export interface Stream {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly scope: InstrumentationScope;
  readonly agg: Aggregator;
  /** The view's allow-list of attribute keys. */
  readonly keys: readonly string[] | undefined;
  /** The most points per collection, the overflow point included. */
  readonly limit: number;
  readonly delta: boolean;
  readonly async: boolean;
  readonly monotonic: boolean;
  readonly diag: DiagLogger;
  /** Series by canonical key; the overflow series under "". */
  series: Map<string, Series>;
  /** Async streams during callbacks: last cycle's series, whose start times carry over. */
  old: Map<string, Series> | undefined;
  root: Node;
  aliases: number;
  /** The previous collection, or the stream's creation. */
  last: number;
}

/** The fields of a stream that do not change. */
export type StreamConfig = Omit<Stream, "series" | "old" | "root" | "aliases" | "last">;

/** A stream with no series yet. */
export const createStream = (c: StreamConfig): Stream => ({ ...c, series: new Map(), old: undefined, root: node(), aliases: 0, last: now() });

// Metrics attributes are exempt from the attribute limits: https://opentelemetry.io/docs/specs/otel/metrics/sdk/#attribute-limits
const UNLIMITED: AttributeLimits = { countLimit: Infinity, valueLengthLimit: Infinity };
const OVERFLOW: AttributeList = ["otel.metric.overflow", true];

// A key that tells apart values JSON would merge or confuse: bigints, non-finite numbers, strings.
const keyOf = (a: AttributeList): string =>
  JSON.stringify(a, (_, v: unknown) => (typeof v == "bigint" || (typeof v == "number" && !Number.isFinite(v)) ? typeof v + v : typeof v == "string" ? "s" + v : v));

/** The series for `attrs`: a trie walk, without allocation when the attributes were seen in this order before. */
export function seriesFor(st: Stream, attrs: Attributes | undefined): Series {
  let n: Node | undefined = st.root;
  for (const k in attrs as Attributes) {
    const v = attrs![k];
    if (v != null && !(n = n.k === k ? n.m!.get(v) : n.o?.get(k)?.get(v))) return miss(st, attrs);
  }
  return n.s ?? miss(st, attrs);
}

// Valid attributes, filtered by `keep`, as a flat list.
function attributeList(st: Stream, attrs: Attributes | undefined, keep: boolean): AttributeList {
  const list: AttributeList = [];
  for (const k in attrs as Attributes) if (!st.keys || st.keys.includes(k) == keep) setAttribute(list, k, attrs![k], UNLIMITED, st.diag, true);
  return list;
}

function miss(st: Stream, attrs: Attributes | undefined): Series {
  const list = attributeList(st, attrs, true);
  const pairs: [string, unknown][] = [];
  for (let i = 0; i < list.length; i += 2) pairs.push([list[i] as string, list[i + 1]]);
  const a = pairs.sort((x, y) => (x[0] < y[0] ? -1 : 1)).flat();
  const key = keyOf(a);
  let s = st.series.get(key);
  if (!s) {
    // Past the limit, into the overflow series, which counts toward it (the limit bounds the points, as in
    // @opentelemetry/sdk-metrics); not aliased, so that memory stays bounded whatever the cardinality.
    // https://opentelemetry.io/docs/specs/otel/metrics/sdk/#cardinality-limits
    if (st.series.size - +st.series.has("") >= st.limit - 1) return st.series.get("") ?? add(st, "", OVERFLOW);
    s = add(st, key, a);
  }
  for (const k in attrs as Attributes) if (typeof attrs![k] == "object" && attrs![k]) return s; // arrays: by identity in a Map, so no alias
  // A bound on aliases (attributes in many orders, or many values a view drops): start the trie afresh.
  if (++st.aliases > 2 * st.limit + 99) (st.root = node()), (st.aliases = 1);
  let n = st.root;
  for (const k in attrs as Attributes) {
    const v = attrs![k];
    if (v == null) continue;
    let m: Map<unknown, Node> | undefined;
    if (n.k === undefined) (n.k = k), (m = n.m = new Map());
    else if (n.k === k) m = n.m!;
    else if (!(m = (n.o ??= new Map()).get(k))) n.o.set(k, (m = new Map()));
    let next = m.get(v);
    if (!next) m.set(v, (next = node()));
    n = next;
  }
  return (n.s = s);
}

function add(st: Stream, key: string, a: AttributeList): Series {
  // An async series seen last cycle keeps its start time and last reported value.
  let s = st.old?.get(key);
  if (!s) s = newSeries(a, key, st.async ? st.last : now());
  st.agg.reset(s);
  st.series.set(key, s);
  return s;
}

/**
 * Records `value` with `attrs` into each stream. `sc`: null when the measurement may not become an exemplar,
 * else the span context it was made in (undefined: none).
 */
export function measure(streams: readonly Stream[], value: number, attrs: Attributes | undefined, sc: SpanContext | undefined | null): void {
  for (const st of streams) {
    const s = seriesFor(st, attrs);
    const b = st.agg.rec(s, value);
    s.n++;
    if (sc !== null) {
      const r = (s.r ??= newReservoir());
      const i = slot(r, b, st.agg.size);
      if (i >= 0) {
        const ok = sc && isSpanContextValid(sc);
        // The attributes the view dropped, so that exemplar and point together hold the measurement's.
        r.ex[i] = { filteredAttributes: st.keys ? attributeList(st, attrs, false) : [], time: now(), value, traceId: ok ? sc.traceId : undefined, spanId: ok ? sc.spanId : undefined };
      }
    }
  }
}

/** Before an async stream's callbacks: only what they observe now is reported. */
export function beginCycle(st: Stream): void {
  st.old = st.series;
  st.series = new Map();
  st.root = node();
  st.aliases = 0;
}

/**
 * The stream's points at `time`, or undefined when it has none. Cumulative points start when their series
 * did; delta points at the previous collection. A delta series with nothing new is not reported, and is
 * forgotten, which frees its place under the cardinality limit.
 * https://opentelemetry.io/docs/specs/otel/metrics/sdk/#start-timestamps
 */
export function collectStream(st: Stream, time: number): MetricData | undefined {
  const points: unknown[] = [];
  const sync = !st.async;
  let forgot = false;
  st.old = undefined;
  for (const [key, s] of st.series) {
    if (!s.n && st.delta && sync) {
      st.series.delete(key);
      forgot = true;
      continue;
    }
    const exemplars: Exemplar[] = s.r ? s.r.ex.filter(Boolean) : [];
    points.push(st.agg.point(s, { attributes: s.a, startTime: st.delta ? st.last : s.t, time, exemplars }));
    s.n = 0;
    s.r = undefined;
    if (st.delta && sync) st.agg.reset(s);
  }
  st.last = time;
  // The trie may lead to forgotten series.
  if (forgot) (st.root = node()), (st.aliases = 0);
  if (!points.length) return;
  const { name, description, unit, scope } = st;
  const kind = st.agg.kind;
  const temporality = st.delta ? 1 : 2;
  return (
    kind == "gauge"
      ? { name, description, unit, scope, kind, points }
      : kind == "sum"
        ? { name, description, unit, scope, kind, monotonic: st.monotonic, temporality, points }
        : { name, description, unit, scope, kind, temporality, points }
  ) as MetricData;
}
