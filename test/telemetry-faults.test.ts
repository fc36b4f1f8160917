// Fault tests: the whole SDK against a loopback receiver that misbehaves on purpose.
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createTelemetry, type TelemetryConfig } from "../src/telemetry.ts";
import type { OtlpExporterConfig } from "../src/otlp/export-result.ts";
import { decodeTraces } from "./helpers/proto-decoder.ts";
import { startReceiver, type Receiver } from "./helpers/otlp-receiver.ts";

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}
const quiet = { error() {}, warn() {}, info() {}, debug() {} };
const fastRetry = { initialMs: 50, maxMs: 200, multiplier: 2, maxAttempts: 5 };

function telemetryWith(exporters: OtlpExporterConfig[], extra: TelemetryConfig = {}) {
  const telemetry = createTelemetry({ exporters, diag: quiet, ...extra });
  const tracer = telemetry.tracer("faults");
  const names: string[] = [];
  const record = (n: number) => {
    for (let i = 0; i < n; i++) {
      names.push(`span-${names.length}`);
      tracer.startSpan(names[names.length - 1]!).end();
    }
  };
  return { telemetry, record, names };
}
const spanNames = (body: Uint8Array): string[] =>
  decodeTraces(body).resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans.map((s: any) => s.name)));

/** A loopback port with nothing listening. */
async function deadPort(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}`;
}

describe("export faults", () => {
  it("503 then 200: nothing lost, nothing duplicated", async () => {
    const r = await receiver();
    let calls = 0;
    r.respondWith(() => (++calls === 1 ? { status: 503 } : {}));
    const { telemetry, record, names } = telemetryWith([{ url: r.url, retry: fastRetry }]);
    record(25);
    const result = await telemetry.flush();
    expect(result.ok).toBe(true);
    expect(result.traces).toEqual({ status: "success", exported: 25, dropped: 0 });
    expect(r.requests).toHaveLength(2);
    expect(r.requests[1]!.body).toEqual(r.requests[0]!.body);
    expect(spanNames(r.requests[1]!.body)).toEqual(names);
    expect(telemetry.stats).toMatchObject({ exportedSpans: 25, droppedSpans: 0, failedExports: 0 });
    // A second flush sends nothing again.
    await telemetry.flush();
    expect(r.requests).toHaveLength(2);
  });

  it("429 with Retry-After: waits as told, then delivers", async () => {
    const r = await receiver();
    r.respondWith((req) => (r.requests.indexOf(req) === 0 ? { status: 429, headers: { "retry-after": "1" } } : {}));
    const { telemetry, record } = telemetryWith([{ url: r.url, retry: fastRetry, timeoutMs: 5000 }]);
    record(3);
    expect((await telemetry.flush()).ok).toBe(true);
    expect(r.requests).toHaveLength(2);
    expect(r.requests[1]!.receivedAt - r.requests[0]!.receivedAt).toBeGreaterThanOrEqual(950);
  });

  it("400 is not retried; the spans are counted as dropped", async () => {
    const r = await receiver();
    r.respondWith(() => ({ status: 400, headers: { "content-type": "text/plain" }, body: "bad request: nope" }));
    const { telemetry, record } = telemetryWith([{ url: r.url, retry: fastRetry }]);
    record(4);
    const result = await telemetry.flush();
    expect(result.ok).toBe(false);
    expect(result.traces.status).toBe("failure");
    expect(result.traces.dropped).toBe(4);
    expect(result.traces.message).toContain("400");
    expect(r.requests).toHaveLength(1);
    expect(telemetry.stats).toMatchObject({ exportedSpans: 0, droppedSpans: 4, failedExports: 1 });
  });

  it("receiver down: flush resolves, not ok, within the timeout, and never throws", async () => {
    const url = await deadPort();
    const { telemetry, record } = telemetryWith([{ url, retry: fastRetry, timeoutMs: 2000 }]);
    record(2);
    const started = Date.now();
    const result = await telemetry.flush();
    expect(Date.now() - started).toBeLessThan(4000);
    expect(result.ok).toBe(false);
    expect(result.traces.dropped).toBe(2);
  });

  it("a receiver that never answers: the timeout is respected", async () => {
    const r = await receiver();
    r.respondWith(() => ({ hang: true }));
    const { telemetry, record } = telemetryWith([{ url: r.url, timeoutMs: 500 }]);
    record(2);
    const started = Date.now();
    const result = await telemetry.flush();
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(450);
    expect(took).toBeLessThan(3000);
    expect(result.ok).toBe(false);
    expect(result.traces.message).toMatch(/timed out/);
  });

  it("one dead destination beside a live one: the live one gets everything, undelayed", async () => {
    const live = await receiver();
    const dead = await receiver();
    dead.respondWith(() => ({ hang: true }));
    const { telemetry, record, names } = telemetryWith([
      { url: dead.url, timeoutMs: 1500 },
      { url: live.url, timeoutMs: 1500 },
    ]);
    record(5);
    const started = Date.now();
    const result = await telemetry.flush();
    expect(live.requests).toHaveLength(1);
    // The live receiver got its data right away, not after the dead one's timeout.
    expect(live.requests[0]!.receivedAt - started).toBeLessThan(700);
    expect(spanNames(live.requests[0]!.body)).toEqual(names);
    expect(result.traces.exported).toBe(5);
    expect(result.traces.dropped).toBe(5);
    expect(result.ok).toBe(false);
  });

  it("a full queue drops and counts, and memory stays bounded", async () => {
    const r = await receiver();
    const { telemetry, record } = telemetryWith([{ url: r.url }], { batch: { maxQueueSize: 10, maxExportBatchSize: 10 } });
    r.respondWith(() => ({ hang: true }));
    record(10); // fills a batch: exported in the background, and held in flight
    record(15); // the bound is reached: all dropped
    expect(telemetry.stats.droppedSpans).toBe(15);
  });
});
