import type { RetryPolicy } from "./retry.ts";

/**
 * The outcome of one export, in the OTel JS transport's terms: `retryable` means the last error was
 * retryable but the attempts or the time ran out.
 */
export interface ExportResult {
  status: "success" | "failure" | "retryable";
  /** The HTTP status of the last response, when one arrived. */
  httpStatus?: number | undefined;
  /** Items the receiver rejected in a partial success (OTLP `partial_success`). */
  rejected?: number | undefined;
  /** The error, or the receiver's partial-success message. */
  message?: string | undefined;
}

/** The three OTLP signals, as they appear in endpoint paths. */
export type Signal = "traces" | "metrics" | "logs";

/** How one OTLP/HTTP destination is reached. */
export interface OtlpExporterConfig {
  /**
   * The base endpoint; `v1/<signal>` is appended. A url ending in `/v1/traces`, `/v1/metrics` or
   * `/v1/logs` is accepted too, and its base is used.
   */
  url?: string | undefined;
  /** Per-signal endpoints, used exactly as given (OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT). */
  tracesUrl?: string | undefined;
  metricsUrl?: string | undefined;
  logsUrl?: string | undefined;
  headers?: Record<string, string> | undefined;
  protocol?: "http/protobuf" | "http/json" | undefined;
  compression?: "gzip" | "none" | undefined;
  /** The whole export, retries included, finishes within this many milliseconds. Default 10 000. */
  timeoutMs?: number | undefined;
  /** A fetch to use instead of the original global one (say, a service binding's). */
  fetch?: typeof fetch | undefined;
  /** Retry pacing; defaults: 1 s initial backoff, ×1.5, 5 s cap, ±20% jitter, 5 attempts, all within timeoutMs. */
  retry?: Partial<RetryPolicy> | undefined;
}
