// The invocation lifecycle of edge runtimes: after the handler returns, wait (with a cap) for the streamed
// body and the user's own waitUntil promises, then flush once, handed to the runtime's original waitUntil.

/** The slice of an execution context this lifecycle uses (Workers' ExecutionContext, Vercel's, Deno's…). */
export interface WaitUntil {
  waitUntil(p: Promise<unknown>): void;
}

const noop = () => {};

/** `p` settled, or `ms` passed, whichever is first; never rejects. The timer is cleared when `p` wins. */
export function settleWithin(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p.then(noop, noop), new Promise<void>((r) => (timer = setTimeout(r, ms)))]).then(() => clearTimeout(timer));
}

/** `obj[key]`, with a method bound to `obj`: what a Proxy forwards, so native methods keep their receiver. */
export function forward(obj: object, key: PropertyKey): unknown {
  const v = Reflect.get(obj, key);
  // Not v.bind: on an RPC stub every property, "bind" included, is a remote call.
  return typeof v == "function" ? Function.prototype.bind.call(v, obj) : v;
}

/** A context whose waitUntil also records the promise, and the promise of everything recorded having settled. */
export interface TrackedWaitUntil<C> {
  ctx: C;
  /** Settles when every promise given to waitUntil so far (including ones added meanwhile) has settled. */
  settled(): Promise<void>;
}

/** Wraps `ctx` so the promises user code hands to `waitUntil` are seen (and still handed on). */
export function trackWaitUntil<C extends WaitUntil>(ctx: C): TrackedWaitUntil<C> {
  const pending: Promise<unknown>[] = [];
  const waitUntil = (p: Promise<unknown>) => {
    pending.push(Promise.resolve(p));
    ctx.waitUntil(p);
  };
  return {
    ctx: new Proxy(ctx, { get: (t, k) => (k == "waitUntil" ? waitUntil : forward(t, k)) }),
    async settled() {
      // A waitUntil task may add more: wait until a round adds nothing.
      for (let seen = 0; seen < pending.length; ) await Promise.allSettled(pending.slice(seen, (seen = pending.length)));
    },
  };
}

/**
 * Resolves when the response's body has been sent (or failed, or was cancelled). Returns the response to hand back:
 * the same one when it has no body (or is a 101 upgrade), else a copy whose body is piped through an identity
 * stream (Workers' native IdentityTransformStream where it exists, so bytes are not pumped through JS).
 */
export function watchBody(response: Response): [Response, Promise<unknown>] {
  const body = response.body;
  if (!body || response.status == 101) return [response, Promise.resolve()];
  const Identity = ((globalThis as { IdentityTransformStream?: typeof TransformStream }).IdentityTransformStream ??
    TransformStream) as typeof TransformStream<Uint8Array, Uint8Array>;
  const { readable, writable } = new Identity();
  return [new Response(readable, response), body.pipeTo(writable).catch(noop)];
}

/**
 * Ends the invocation: after `waits` (the root span's end, the user's waitUntil promises) settle, or `capMs`,
 * calls `flush` once, inside the original `ctx.waitUntil`, so nothing is sent on the request path.
 */
export function flushAfter(ctx: WaitUntil, waits: Promise<unknown>[], capMs: number, flush: () => Promise<unknown>): void {
  ctx.waitUntil(settleWithin(Promise.all(waits), capMs).then(flush));
}
