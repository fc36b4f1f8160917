import { addAttributes } from "../common/attributes.ts";
import type { AttributeList, Attributes, DiagLogger, Resource } from "../common/types.ts";
import { VERSION } from "../version.ts";
import { envString, envValue, parseKeyValueList } from "./env.ts";
import type { Env } from "./env.ts";

/** What the resource is built from; later sources win (see `createResource`). */
export interface ResourceOptions {
  /** service.name; wins over everything else. */
  serviceName?: string | undefined;
  /** service.version; wins over everything else. */
  serviceVersion?: string | undefined;
  /** Explicit resource attributes; win over the environment. */
  attributes?: Attributes | undefined;
  env: Env;
  diag: DiagLogger;
  /** Attributes the runtime adapter detected (cloud, host, runtime…); lose to the environment. */
  detected?: Attributes | undefined;
}

/**
 * Builds the SDK's resource. Precedence, lowest first: the telemetry.sdk.*, service.name
 * "unknown_service" and service.instance.id (this isolate's) defaults, `detected`,
 * OTEL_RESOURCE_ATTRIBUTES (discarded whole, with a warning, when malformed), OTEL_SERVICE_NAME,
 * `attributes`, `serviceName`/`serviceVersion` (empty ones count as unset).
 * https://opentelemetry.io/docs/specs/otel/resource/sdk/
 */
export function createResource(options: ResourceOptions): Resource {
  const { env, diag } = options;
  const list: AttributeList = [
    "telemetry.sdk.name",
    "edge-otel",
    "telemetry.sdk.language",
    "webjs",
    "telemetry.sdk.version",
    VERSION,
    "service.name",
    "unknown_service",
    "service.instance.id",
    getServiceInstanceId(),
  ];
  // Resource attributes are exempt from attribute limits: https://opentelemetry.io/docs/specs/otel/common/#attribute-limits
  const add = (attributes: Attributes | undefined) =>
    addAttributes(list, attributes, { countLimit: Infinity, valueLengthLimit: Infinity }, diag);
  add(options.detected);
  // https://opentelemetry.io/docs/specs/otel/resource/sdk/#specifying-resource-information-via-an-environment-variable
  add(envValue(env, "OTEL_RESOURCE_ATTRIBUTES", undefined, diag, parseKeyValueList));
  add({ "service.name": envString(env, "OTEL_SERVICE_NAME") });
  add(options.attributes);
  add({ "service.name": options.serviceName || undefined, "service.version": options.serviceVersion || undefined });
  return { attributes: list, droppedAttributesCount: 0 };
}

let instanceId: string | undefined;

/**
 * This isolate's service.instance.id: a random UUID v4, made on first use (not at import) and shared by
 * all telemetry of this module instance.
 * https://opentelemetry.io/docs/specs/semconv/registry/attributes/service/
 */
export function getServiceInstanceId(): string {
  // getRandomValues exists in every runtime we target; randomUUID needs a secure context in browsers.
  return (instanceId ??= uuid(crypto.getRandomValues(new Uint8Array(16))));
}

// RFC 9562 UUID version 4 from 16 random bytes.
function uuid(b: Uint8Array): string {
  b[6] = (b[6] & 0x0f) | 0x40; // version 4
  b[8] = (b[8] & 0x3f) | 0x80; // variant 10
  return Array.from(b, (x, i) => (i > 3 && i < 11 && !(i & 1) ? "-" : "") + (x | 256).toString(16).slice(1)).join("");
}
