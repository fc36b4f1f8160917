/** A primitive attribute value, as in the OTel common spec. */
export type AttributePrimitive = string | number | boolean | bigint;

/**
 * An attribute value: a primitive or a homogeneous array of one primitive type.
 * https://opentelemetry.io/docs/specs/otel/common/#attribute
 */
export type AttributeValue =
  | AttributePrimitive
  | ReadonlyArray<string | null | undefined>
  | ReadonlyArray<number | null | undefined>
  | ReadonlyArray<boolean | null | undefined>
  | ReadonlyArray<bigint | null | undefined>;

/** Attributes as users pass them: a plain record. `undefined` values are ignored. */
export type Attributes = Record<string, AttributeValue | undefined>;

/**
 * Attributes as the SDK stores them: a flat list `[key0, value0, key1, value1, …]` of valid,
 * already-limited values. Flat arrays are smaller than objects and encode in one pass.
 */
export type AttributeList = unknown[];

/** A point in time as users may give it: epoch ms (`Date.now()` style), a `Date`, or `[seconds, nanos]`. */
export type TimeInput = number | Date | readonly [number, number];

/** The instrumentation scope of a tracer, meter or logger. */
export interface InstrumentationScope {
  readonly name: string;
  readonly version?: string | undefined;
  readonly schemaUrl?: string | undefined;
}

/** The SDK's resource: attributes that describe the entity producing telemetry. */
export interface Resource {
  readonly attributes: AttributeList;
  readonly droppedAttributesCount: number;
  readonly schemaUrl?: string | undefined;
}

/** Where the SDK reports its own problems. The shape of `console`. */
export interface DiagLogger {
  error(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
}
