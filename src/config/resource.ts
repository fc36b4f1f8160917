import { addAttributes, getAttribute, setAttribute } from "../common/attributes.ts";
import type { AttributeLimits } from "../common/attributes.ts";
import type { AttributeList, Attributes, DiagLogger, Resource } from "../common/types.ts";
import { VERSION } from "../version.ts";
import { envString, parseKeyValueList, warnInvalidEnv } from "./env.ts";
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

// Resource attributes are exempt from attribute limits: https://opentelemetry.io/docs/specs/otel/common/#attribute-limits
const NO_LIMITS: AttributeLimits = { countLimit: Infinity, valueLengthLimit: Infinity };

/**
 * Builds the SDK's resource. Precedence, lowest first: telemetry.sdk.* and service.name
 * "unknown_service" defaults, `detected`, OTEL_RESOURCE_ATTRIBUTES, OTEL_SERVICE_NAME, `attributes`,
 * `serviceName`/`serviceVersion`. service.instance.id is this isolate's random UUID unless a source sets it.
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
  ];
  addAttributes(list, options.detected, NO_LIMITS, diag);
  addAttributes(list, envResourceAttributes(env, diag), NO_LIMITS, diag);
  // https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#general-sdk-configuration
  setAttribute(list, "service.name", envString(env, "OTEL_SERVICE_NAME"), NO_LIMITS, diag);
  addAttributes(list, options.attributes, NO_LIMITS, diag);
  // Empty names are as good as unset, like empty variables.
  if (options.serviceName) setAttribute(list, "service.name", options.serviceName, NO_LIMITS, diag);
  if (options.serviceVersion) setAttribute(list, "service.version", options.serviceVersion, NO_LIMITS, diag);
  if (getAttribute(list, "service.instance.id") === undefined) list.push("service.instance.id", getServiceInstanceId());
  return { attributes: list, droppedAttributesCount: 0 };
}

/**
 * OTEL_RESOURCE_ATTRIBUTES, percent-decoded; when any pair is malformed the whole variable is discarded
 * with one warning, as https://opentelemetry.io/docs/specs/otel/resource/sdk/#specifying-resource-information-via-an-environment-variable asks.
 */
function envResourceAttributes(env: Env, diag: DiagLogger): Attributes | undefined {
  const name = "OTEL_RESOURCE_ATTRIBUTES";
  const text = envString(env, name);
  if (text === undefined) return undefined;
  const parsed = parseKeyValueList(text);
  if (parsed === undefined) warnInvalidEnv(diag, name, text, "comma-separated key=value pairs, percent-encoded", "none of it");
  return parsed;
}

let instanceId: string | undefined;

/**
 * This isolate's service.instance.id: a random UUID v4, made on first use (not at import) and shared by
 * all telemetry of this module instance.
 * https://opentelemetry.io/docs/specs/semconv/registry/attributes/service/
 */
export function getServiceInstanceId(): string {
  return (instanceId ??= randomUuidV4());
}

// getRandomValues exists in every runtime we target; randomUUID needs a secure context in browsers.
function randomUuidV4(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; // version 4
  b[8] = (b[8] & 0x3f) | 0x80; // RFC 9562 variant
  let hex = "";
  for (let i = 0; i < 16; i++) hex += (b[i] + 0x100).toString(16).slice(1);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
