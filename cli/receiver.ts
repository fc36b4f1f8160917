#!/usr/bin/env node
// edge-otel-receiver: a local OTLP/HTTP endpoint that prints what it receives (traces as waterfalls).
import { parseArgs } from "node:util";
import { DEFAULT_OTLP_HTTP_PORT, startOtlpReceiver } from "./receiver-server.ts";

const USAGE = `Usage: edge-otel-receiver [--port N] [--host H] [--json]

Receives OTLP/HTTP exports (protobuf or JSON, optionally gzip) on POST /v1/traces, /v1/metrics and
/v1/logs and prints them: traces as waterfalls, metrics and logs one line per item.

  --port N   port to listen on; 0 picks a free one (default: $OTLP_RECEIVER_PORT or ${DEFAULT_OTLP_HTTP_PORT})
  --host H   loopback address to bind: 127.0.0.1 (default), ::1 or localhost
  --json     print one JSON line per request ({"signal", "body"} in OTLP/JSON); the
             listening line and warnings then go to stderr
  --help     show this help

Colours are used when stdout is a terminal and NO_COLOR is unset.
`;

function fail(message: string): never {
  process.stderr.write(`edge-otel-receiver: ${message}\n`);
  process.exit(2);
}

function parsePort(text: string, source: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) fail(`invalid ${source} "${text}": expected 0-65535`);
  return Number(text);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string", short: "p" },
        host: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const envPort = process.env["OTLP_RECEIVER_PORT"];
  const port =
    values.port !== undefined
      ? parsePort(values.port, "--port")
      : envPort !== undefined && envPort !== ""
        ? parsePort(envPort, "OTLP_RECEIVER_PORT")
        : DEFAULT_OTLP_HTTP_PORT;
  const host = values.host ?? "127.0.0.1";
  const json = values.json;
  // In --json mode stdout carries only the request lines, so scripts can parse every line.
  const info = (text: string): void => void (json ? process.stderr : process.stdout).write(text);

  let receiver;
  try {
    receiver = await startOtlpReceiver({ host, port, json, warn: info });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "EADDRINUSE") fail(`port ${port} on ${host} is already in use (try --port 0 for a free one)`);
    fail(error instanceof Error ? error.message : String(error));
  }
  info(`edge-otel-receiver listening on ${receiver.url} (POST /v1/traces, /v1/metrics, /v1/logs)\n`);

  let stopping = false;
  const stop = (): void => {
    // A second signal means the user does not want to wait for open connections.
    if (stopping) process.exit(130);
    stopping = true;
    receiver.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

await main();
