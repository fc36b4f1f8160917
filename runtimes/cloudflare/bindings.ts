// Spans for the bindings in a Worker's env: KV, R2, D1, Queue producers, Durable Object stubs and service
// bindings. The env is wrapped in a Proxy; each binding is recognised by its runtime class and wrapped on first use.
import type { Attributes } from "../../src/common/types.ts";
import { activeContext } from "../../src/global.ts";
import { instrumentFetch, type FetchLike } from "../../src/instrumentation/fetch.ts";
import { endWith } from "../../src/instrumentation/http.ts";
import { forward } from "../../src/instrumentation/invocation.ts";
import {
  DB_NAMESPACE,
  DB_OPERATION_NAME,
  DB_QUERY_TEXT,
  DB_SYSTEM_NAME,
  MESSAGING_BATCH_MESSAGE_COUNT,
  MESSAGING_DESTINATION_NAME,
  MESSAGING_OPERATION_TYPE,
  MESSAGING_SYSTEM,
  RPC_METHOD,
  RPC_SERVICE,
  RPC_SYSTEM,
} from "../../src/instrumentation/semconv.ts";
import { setSpan } from "../../src/trace/span-context.ts";
import { SpanKind } from "../../src/trace/span-record.ts";
import type { BindingsConfig } from "./config.ts";
import { bindingOn, fetchTrace, invocationOf, tracerOf } from "./invoke.ts";

/** The message-body key that carries the producer's trace context through a queue. */
export const QUEUE_CONTEXT_KEY = "__otel";

type Kind = keyof BindingsConfig;
type Fn = (...args: any[]) => any;

/**
 * Calls `call` inside a span of the active invocation (plain call outside one or when `kind` is off). `call` gets
 * a function that injects the span's context into a carrier.
 */
function traced<T>(kind: Kind, name: string, spanKind: SpanKind, attributes: Attributes, call: (inject?: (carrier: object) => void) => T): T {
  const ctx = activeContext();
  const inv = invocationOf(ctx);
  if (!inv || !bindingOn(inv, kind)) return call();
  const span = tracerOf(inv).startSpan(name, { kind: spanKind, attributes }, ctx);
  return endWith(span, () => call((carrier) => inv.telemetry.propagation.inject(setSpan(ctx, span), carrier)));
}

/** A Proxy of `target` whose methods `wrap` returns a replacement for (undefined: forwarded as is). */
const proxy = <T extends object>(target: T, wrap: (key: string, method: Fn) => Fn | undefined): T =>
  new Proxy(target, {
    get(t, k) {
      const v = forward(t, k);
      return (typeof k == "string" && typeof v == "function" && wrap(k, v as Fn)) || v;
    },
  });

// https://opentelemetry.io/docs/specs/semconv/database/database-spans/ : name "{operation} {namespace}".
const dbCall = (kind: Kind, system: string, binding: string, op: string, f: Fn, extra?: Attributes): Fn => (...a) =>
  traced(kind, `${op} ${binding}`, SpanKind.CLIENT, { [DB_SYSTEM_NAME]: system, [DB_OPERATION_NAME]: op, [DB_NAMESPACE]: binding, ...extra }, () => f(...a));

const db = (kind: Kind, system: string, ops: RegExp) => (target: object, binding: string) =>
  proxy(target, (k, f) => (ops.test(k) ? dbCall(kind, system, binding, k, f) : undefined));

// D1 statements are wrapped so their runs carry the SQL; the real statement is kept for batch(), which needs it.
const statements = new WeakMap<object, object>();
const statement = (s: object, binding: string, sql: string): object => {
  const p = proxy(s, (k, f) =>
    k == "bind"
      ? (...a) => statement(f(...a), binding, sql)
      : /^(first|all|run|raw)$/.test(k)
        ? dbCall("d1", "cloudflare.d1", binding, k, f, { [DB_QUERY_TEXT]: sql })
        : undefined,
  );
  statements.set(p, s);
  return p;
};
const d1 = (target: object, binding: string) =>
  proxy(target, (k, f) =>
    k == "prepare"
      ? (sql: string) => statement(f(sql), binding, sql)
      : k == "batch"
        ? dbCall("d1", "cloudflare.d1", binding, k, (list: object[], ...rest: unknown[]) => f(list.map((s) => statements.get(s) ?? s), ...rest))
        : k == "exec"
          ? dbCall("d1", "cloudflare.d1", binding, k, f)
          : undefined,
  );

// A plain-object body gets the trace context under QUEUE_CONTEXT_KEY; other bodies go as they are.
const withContext = (body: unknown, inject?: (carrier: object) => void): unknown => {
  if (!inject || !body || Object.getPrototypeOf(body) != Object.prototype) return body;
  const carrier = {};
  inject(carrier);
  return { ...body, [QUEUE_CONTEXT_KEY]: carrier };
};
// https://opentelemetry.io/docs/specs/semconv/messaging/messaging-spans/ : PRODUCER "send {destination}".
const queue = (target: object, binding: string) =>
  proxy(target, (k, f) =>
    /^send(Batch)?$/.test(k)
      ? (body: any, ...rest: unknown[]) => {
          const batch = k == "sendBatch";
          const messages = batch ? [...body] : [];
          return traced(
            "queue",
            `send ${binding}`,
            SpanKind.PRODUCER,
            {
              [MESSAGING_SYSTEM]: "cloudflare.queues",
              [MESSAGING_OPERATION_TYPE]: "send",
              [MESSAGING_DESTINATION_NAME]: binding,
              [MESSAGING_BATCH_MESSAGE_COUNT]: batch ? messages.length : undefined,
            },
            (inject) => f(batch ? messages.map((m) => ({ ...m, body: withContext(m.body, inject) })) : withContext(body, inject), ...rest),
          );
        }
      : undefined,
  );

// Stubs (Durable Objects) and service bindings: fetch gets an HTTP CLIENT span and always carries the trace
// context; any other method is an RPC call. Names the runtime or `await` look up stay untouched.
const NOT_RPC = /^(then|catch|finally|connect|dup|constructor|toJSON|toString|valueOf)$/;
const stub = (kind: Kind) => (target: object, binding: string) =>
  proxy(target, (k, f) =>
    k == "fetch"
      ? instrumentFetch(f as FetchLike, () => fetchTrace(kind))
      : NOT_RPC.test(k)
        ? undefined
        : (...a) =>
            traced(kind, `${binding}/${k}`, SpanKind.CLIENT, { [RPC_SYSTEM]: "cloudflare", [RPC_SERVICE]: binding, [RPC_METHOD]: k }, () => f(...a)),
  );
const doStub = stub("durableObjects");
const namespace = (target: object, binding: string): object =>
  proxy(target, (k, f) =>
    /^get(ByName|Existing)?$/.test(k) ? (...a) => doStub(f(...a), binding) : k == "jurisdiction" ? (...a) => namespace(f(...a), binding) : undefined,
  );

// By the runtime's class name: RPC stubs answer every property name, so duck typing can't tell them apart.
const WRAPPERS: Record<string, (target: object, binding: string) => object> = {
  KvNamespace: /*#__PURE__*/ db("kv", "cloudflare.kv", /^(get|getWithMetadata|put|list|delete)$/),
  R2Bucket: /*#__PURE__*/ db("r2", "cloudflare.r2", /^(head|get|put|delete|list|createMultipartUpload)$/),
  D1Database: d1,
  WorkerQueue: queue,
  DurableObjectNamespace: namespace,
  Fetcher: /*#__PURE__*/ stub("services"),
};

const envs = new WeakMap<object, object>();

/** `env` with its bindings wrapped for spans (the same wrapper for the same env object). */
export function wrapEnv<E>(env: E): E {
  if (!env || typeof env != "object") return env;
  let wrapped = envs.get(env);
  if (!wrapped) {
    const cache = new Map<PropertyKey, [unknown, unknown]>();
    envs.set(
      env,
      (wrapped = new Proxy(env, {
        get(t, k) {
          const v = Reflect.get(t, k);
          const wrap = v && typeof v == "object" && WRAPPERS[Object.getPrototypeOf(v)?.constructor?.name];
          if (!wrap) return v;
          let c = cache.get(k);
          if (c?.[0] !== v) cache.set(k, (c = [v, wrap(v, String(k))]));
          return c[1];
        },
      })),
    );
  }
  return wrapped as E;
}
