/** Counters the SDK keeps about itself, readable from the telemetry object. */
export interface TelemetryStats {
  /** Spans handed to a receiver and accepted. */
  exportedSpans: number;
  /** Spans lost: queue overflow, failed exports, rejected by a receiver. */
  droppedSpans: number;
  /** Export requests that failed for good (after retries). */
  failedExports: number;
  /** Log records handed to a receiver and accepted; present once log records were sent or lost. */
  exportedLogRecords?: number;
  /** Log records lost: queue overflow, failed exports, rejected by a receiver; present once log records were sent or lost. */
  droppedLogRecords?: number;
}

/** A fresh set of zeroed counters. */
export function createStats(): TelemetryStats {
  return { exportedSpans: 0, droppedSpans: 0, failedExports: 0 };
}
