// edge-otel/cloudflare: the Cloudflare Workers adapter.
export { instrument, instrumentDO } from "./handlers.ts";
export { invocationContext, withInvocation } from "./invoke.ts";
export { QUEUE_CONTEXT_KEY } from "./bindings.ts";
export { keepSampledOrErrored } from "../../src/trace/tail-sampling-processor.ts";
export type { BindingsConfig, CloudflareConfig, ConfigSource, Trigger } from "./config.ts";
export type { PropagateTo } from "../../src/instrumentation/fetch.ts";
export type { HeaderCapture } from "../../src/instrumentation/http.ts";
export type { LocalTrace, TailSampler } from "../../src/trace/tail-sampling-processor.ts";
