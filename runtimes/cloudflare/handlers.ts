// instrument() and instrumentDO(): wrap an ExportedHandler object, a WorkerEntrypoint class or a Durable Object
// class so each invocation runs inside a root span and ends with one flush.
import type { Env } from "../../src/config/env.ts";
import { ROOT_CONTEXT } from "../../src/context/context.ts";
import { forward, trackWaitUntil, type TrackedWaitUntil, type WaitUntil } from "../../src/instrumentation/invocation.ts";
import {
  FAAS_CRON,
  FAAS_TIME,
  FAAS_TRIGGER,
  MESSAGING_BATCH_MESSAGE_COUNT,
  MESSAGING_DESTINATION_NAME,
  MESSAGING_OPERATION_TYPE,
  MESSAGING_SYSTEM,
  RPC_METHOD,
  RPC_SERVICE,
  RPC_SYSTEM,
} from "../../src/instrumentation/semconv.ts";
import type { Link } from "../../src/trace/span-api.ts";
import { getSpanContext } from "../../src/trace/span-context.ts";
import { SpanKind } from "../../src/trace/span-record.ts";
import { QUEUE_CONTEXT_KEY, wrapEnv } from "./bindings.ts";
import type { ConfigSource, Resolved } from "./config.ts";
import { fetchSpec, invoke, respondFetch, type Respond, type RootSpec } from "./invoke.ts";

type Fn = (...args: any[]) => any;

const HANDLERS = ["fetch", "scheduled", "queue", "email", "tail"];

// The queue batch as handed on: messages whose plain-object body carries a producer's context lose that key, and
// the context becomes a link of the consumer span. https://opentelemetry.io/docs/specs/semconv/messaging/messaging-spans/#consumer-spans
function consume(batch: { queue: string; messages: readonly { body: any }[] }, inv: Resolved, links: Link[]): object {
  const messages = batch.messages.map((m) => {
    const carrier = m.body?.[QUEUE_CONTEXT_KEY];
    if (!carrier || typeof carrier != "object") return m;
    const sc = getSpanContext(inv.telemetry.propagation.extract(carrier, ROOT_CONTEXT));
    if (sc) links.push({ context: sc });
    const { [QUEUE_CONTEXT_KEY]: _, ...body } = m.body;
    return new Proxy(m, { get: (t, k) => (k == "body" ? body : forward(t, k)) });
  });
  return new Proxy(batch, { get: (t, k) => (k == "messages" ? messages : forward(t, k)) });
}

/**
 * Runs handler or method `name` as one invocation. `args` are its arguments as the runtime passed them (the first
 * may be replaced: a queue batch loses the trace-context key); `ctx` is the runtime's context, `tracked` the one the
 * handler sees; `service` names RPC spans.
 */
function run(name: string, source: ConfigSource, env: Env, ctx: WaitUntil, tracked: TrackedWaitUntil<WaitUntil> | undefined, service: string, args: any[], call: (args: any[]) => unknown): Promise<unknown> {
  const event = args[0];
  const handler = HANDLERS.includes(name);
  const timer = name == "scheduled" || name == "alarm";
  const spec = (inv: Resolved): RootSpec => {
    if (name == "fetch") return fetchSpec(event, inv);
    const links: Link[] = [];
    const queue = name == "queue" && (args[0] = consume(event, inv, links));
    const rpc = !handler && !timer && !name.startsWith("webSocket");
    return {
      // Span names: https://opentelemetry.io/docs/specs/semconv/messaging/messaging-spans/#span-name and rpc-spans.
      name: queue ? `process ${event.queue}` : rpc ? `${service}/${name}` : name,
      kind: queue ? SpanKind.CONSUMER : SpanKind.SERVER,
      links,
      attributes: {
        [FAAS_TRIGGER]: queue ? "pubsub" : timer ? "timer" : "other",
        [FAAS_CRON]: (name == "scheduled" && event.cron) || undefined,
        [FAAS_TIME]: name == "scheduled" ? new Date(event.scheduledTime).toISOString() : undefined,
        ...(queue && {
          [MESSAGING_SYSTEM]: "cloudflare.queues",
          [MESSAGING_OPERATION_TYPE]: "process",
          [MESSAGING_DESTINATION_NAME]: event.queue,
          [MESSAGING_BATCH_MESSAGE_COUNT]: event.messages.length,
        }),
        ...(rpc && { [RPC_SYSTEM]: "cloudflare", [RPC_SERVICE]: service, [RPC_METHOD]: name }),
      },
    };
  };
  return invoke(source, env, ctx, tracked?.ctx ?? ctx, tracked?.settled, handler ? event : name, spec, () => call(args), name == "fetch" ? (respondFetch as Respond<unknown>) : undefined);
}

/** Wraps a class (WorkerEntrypoint or Durable Object): its constructor returns a Proxy that traces the runtime's calls. */
function instrumentClass<C extends new (...args: any[]) => any>(Base: C, source: ConfigSource, durable: boolean): C {
  return class extends Base {
    constructor(...args: any[]) {
      const [ctx, env] = args as [WaitUntil, Env];
      // A Durable Object outlives its events, so its waitUntil is not tracked; an entrypoint's is.
      const tracked = durable ? undefined : trackWaitUntil(ctx);
      super(tracked?.ctx ?? ctx, wrapEnv(env), ...args.slice(2));
      // The object's calls to its own methods go through `this` (the target), so they are not invocations.
      return new Proxy(this, {
        get(t, k) {
          const v = Reflect.get(t, k);
          return typeof v != "function" || typeof k != "string" || k in Object.prototype
            ? v
            : (...a: unknown[]) => run(k, source, env, ctx, tracked, Base.name, a, (a) => (v as Fn).apply(t, a));
        },
      });
    }
  };
}

/**
 * Instruments a Worker: an ExportedHandler object (fetch, scheduled, queue, email, tail) or a WorkerEntrypoint
 * class (those handlers and its RPC methods). Each invocation gets a root span and one flush, in waitUntil.
 */
export function instrument<H extends object>(handler: H, config: ConfigSource): H {
  if (typeof handler == "function") return instrumentClass(handler as any, config, false) as H;
  const out = Object.create(handler);
  for (const name of HANDLERS) {
    const f = (handler as Record<string, Fn>)[name];
    if (typeof f == "function")
      out[name] = function (this: unknown, event: unknown, env: Env, ctx: WaitUntil) {
        const tracked = trackWaitUntil(ctx);
        return run(name, config, env, ctx, tracked, "", [event], ([e]) => f.call(this, e, wrapEnv(env), tracked.ctx));
      };
  }
  return out;
}

/**
 * Instruments a Durable Object class: fetch, alarm, webSocketMessage/Close/Error and RPC methods each get a root
 * span and a flush; its env's bindings get spans.
 */
export function instrumentDO<C extends new (...args: any[]) => any>(durableObject: C, config: ConfigSource): C {
  return instrumentClass(durableObject, config, true);
}
