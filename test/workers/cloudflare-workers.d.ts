// The slice of the `cloudflare:workers` module the test worker and the example use (structural; no
// @cloudflare/workers-types needed).
declare module "cloudflare:workers" {
  export class WorkerEntrypoint<E = unknown> {
    constructor(ctx: unknown, env: E);
    protected ctx: { waitUntil(p: Promise<unknown>): void };
    protected env: E;
  }
  export class DurableObject<E = unknown> {
    constructor(ctx: unknown, env: E);
    protected ctx: { waitUntil(p: Promise<unknown>): void; storage: { setAlarm(t: number): Promise<void> }; acceptWebSocket(ws: WebSocket): void };
    protected env: E;
  }
}
