// fast-check generators of resources and spans for the encoder tests, aimed at the corners of the encoding:
// every attribute type, unicode including lone surrogates, zero values, int64 bounds, odd times.
import fc from "fast-check";
import type { AttributeList, Resource } from "../../src/common/types.ts";
import type { SpanContext, TraceState } from "../../src/trace/span-context.ts";
import type { ReadableSpan, SpanEventRecord, SpanKind, SpanLinkRecord, SpanStatusCode } from "../../src/trace/span-record.ts";
import type { ScopeWithAttributes } from "../../src/otlp/trace-encoder.ts";

/** A TraceState that only serializes, which is all the encoders use. */
export function traceStateOf(value: string): TraceState {
  const ts: TraceState = {
    get: () => undefined,
    set: () => ts,
    unset: () => ts,
    serialize: () => value,
  };
  return ts;
}

/** The fields of a span record, without the spanContext() method. */
export interface SpanFields {
  name: string;
  kind: SpanKind;
  context: SpanContext;
  parentSpanId: string | undefined;
  parentIsRemote: boolean;
  startTime: number;
  endTime: number;
  attributes: AttributeList;
  droppedAttributesCount: number;
  events: SpanEventRecord[];
  droppedEventsCount: number;
  links: SpanLinkRecord[];
  droppedLinksCount: number;
  status: { code: SpanStatusCode; message?: string };
  scope: ScopeWithAttributes;
}

/** A ReadableSpan over `f`. */
export function spanOf(f: SpanFields): ReadableSpan {
  const { context, ...rest } = f;
  return { ...rest, spanContext: () => context };
}

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const unit = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: loneSurrogate },
  { weight: 1, arbitrary: fc.constantFrom("😀", "👩‍👩‍👧", "é", "€", "\u0000", "\u07ff", "\u0800", "\uffff", "\"\\\n") },
);

/** Strings from empty to a few hundred units long: ASCII, any code point, emoji, lone surrogates. */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit, maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constant("") },
  { weight: 1, arbitrary: fc.string({ unit, minLength: 40, maxLength: 300 }) },
);

/** Integers: small, safe, and the 32-bit and safe-integer bounds. */
export const ints = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.constantFrom(0, -0, 1, -1, 127, 128, 2 ** 31, 2 ** 32, -(2 ** 32), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
);
/** Doubles, NaN and the infinities included. */
export const doubles = fc.oneof(
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, 0.5, -1.5, 2 ** 53, -(2 ** 53), 1e21, Number.MAX_VALUE, Number.MIN_VALUE),
);
/** Bigints in int64 and a few past it. */
export const bigints = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  // Past int64 the value wraps to 64 bits, like a C cast; both encoders must agree on that.
  fc.constantFrom(-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n, 2n ** 32n, 2n ** 64n + 5n, -(2n ** 63n) - 1n),
);
const withNulls = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<(T | null | undefined)[]> =>
  fc.array(fc.oneof({ weight: 4, arbitrary: a }, fc.constant(null), fc.constant(undefined)), { maxLength: 5 });

/** Attribute values of every supported type, plus null/undefined, bytes and nested maps (the logs shapes). */
export const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown; map: Record<string, unknown> }>((tie) => ({
  value: fc.oneof(
    { weight: 4, arbitrary: anyString },
    { weight: 2, arbitrary: fc.boolean() },
    { weight: 3, arbitrary: ints },
    { weight: 3, arbitrary: doubles },
    { weight: 2, arbitrary: bigints },
    { weight: 1, arbitrary: withNulls(anyString) },
    { weight: 1, arbitrary: withNulls(ints) },
    { weight: 1, arbitrary: withNulls(doubles) },
    { weight: 1, arbitrary: withNulls(fc.boolean()) },
    { weight: 1, arbitrary: withNulls(bigints) },
    { weight: 1, arbitrary: fc.constantFrom([], null, undefined) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }) },
    { weight: 1, arbitrary: tie("map") },
  ),
  map: fc.dictionary(anyString, tie("value"), { maxKeys: 3, depthIdentifier: "map" }),
})).value;

/** A flat attribute list `[k0, v0, …]`. */
export const attributeList: fc.Arbitrary<AttributeList> = fc
  .array(fc.tuple(anyString, anyValue), { maxLength: 6 })
  .map((pairs) => pairs.flat());

/** uint32 counts, often 0. */
export const count = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, fc.nat({ max: 2 ** 32 - 1 }), fc.nat({ max: 200 }));
/** Random ids of `bytes` bytes, as lowercase hex. */
export const hex = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString("hex"));

/** Epoch-ms floats: current-era timestamps with fractions, small and zero values, out-of-range ones. */
export const timeMs: fc.Arbitrary<number> = fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: 1.5e12, max: 2e12, noNaN: true }) },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 0, max: 2e12 }), fc.integer({ min: 0, max: 4095 })).map(([m, k]) => m + k / 4096) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 1e3, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1732240000123.4567, 0.0000004, 0.0000005, 0.9999996, 18446744073708.999, 1e14, -1, NaN) },
);

const spanContext: fc.Arbitrary<SpanContext> = fc
  .record({
    traceId: hex(16),
    spanId: hex(8),
    traceFlags: fc.integer({ min: 0, max: 255 }),
    traceState: fc.option(anyString.map(traceStateOf), { nil: undefined }),
    isRemote: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map((sc) => {
    // Leave out absent optional properties, as span records do.
    const out: SpanContext = { traceId: sc.traceId, spanId: sc.spanId, traceFlags: sc.traceFlags };
    if (sc.traceState !== undefined) out.traceState = sc.traceState;
    if (sc.isRemote !== undefined) out.isRemote = sc.isRemote;
    return out;
  });

const event: fc.Arbitrary<SpanEventRecord> = fc.record({
  name: anyString,
  time: timeMs,
  attributes: attributeList,
  droppedAttributesCount: count,
});

const link: fc.Arbitrary<SpanLinkRecord> = fc.record({
  context: spanContext,
  attributes: attributeList,
  droppedAttributesCount: count,
});

const status = fc.oneof(
  fc.record({ code: fc.constantFrom<SpanStatusCode>(0, 1, 2) }),
  fc.record({ code: fc.constantFrom<SpanStatusCode>(0, 1, 2), message: anyString }),
);

/** A scope pool: several scopes, with value-equal twins so that grouping by value is exercised. */
export const scopePool: fc.Arbitrary<ScopeWithAttributes[]> = fc
  .array(
    fc.record(
      {
        name: anyString,
        version: anyString,
        schemaUrl: anyString,
        attributes: attributeList,
        droppedAttributesCount: count,
      },
      { requiredKeys: ["name"] },
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((scopes) => [...scopes, ...scopes.map((s) => ({ ...s }))]);

const spanFields = (scopes: ScopeWithAttributes[]): fc.Arbitrary<SpanFields> =>
  fc.record({
    name: anyString,
    kind: fc.constantFrom<SpanKind>(0, 1, 2, 3, 4),
    context: spanContext,
    parentSpanId: fc.option(hex(8), { nil: undefined }),
    parentIsRemote: fc.boolean(),
    startTime: timeMs,
    endTime: timeMs,
    attributes: attributeList,
    droppedAttributesCount: count,
    events: fc.array(event, { maxLength: 3 }),
    droppedEventsCount: count,
    links: fc.array(link, { maxLength: 2 }),
    droppedLinksCount: count,
    status,
    scope: fc.constantFrom(...scopes),
  });

/** A resource and a batch of spans (possibly empty) from a few scopes. */
export const traceBatch: fc.Arbitrary<{ resource: Resource; spans: ReadableSpan[] }> = fc
  .tuple(
    fc.record({ attributes: attributeList, droppedAttributesCount: count, schemaUrl: anyString }, { requiredKeys: ["attributes", "droppedAttributesCount"] }),
    scopePool,
  )
  .chain(([resource, scopes]) =>
    fc.array(spanFields(scopes), { maxLength: 6 }).map((spans) => ({ resource, spans: spans.map(spanOf) })),
  );
