import { exportSafely } from "./common/batch-queue.ts";
import { combineFlushResults, type ProcessorFlushResult } from "./common/multi-processor.ts";
import { resolveMetricsConfig } from "./config/metrics-config.ts";
import { resolveAttributeLimits, resolveBatchConfig } from "./config/span-limits.ts";
import { BatchLogRecordProcessor } from "./logs/batch-log-record-processor.ts";
import { captureConsole } from "./logs/console-bridge.ts";
import { MultiLogRecordProcessor, type LogRecordProcessor } from "./logs/log-record-processor.ts";
import { createLoggerProvider } from "./logs/logger.ts";
import { createMeterProvider } from "./metrics/meter-provider.ts";
import type { MetricExporter } from "./metrics/metric-exporter.ts";
import { OtlpLogExporter } from "./otlp/otlp-log-exporter.ts";
import { OtlpMetricExporter } from "./otlp/otlp-metric-exporter.ts";
import type { SignalPlugin } from "./telemetry.ts";

/**
 * Metrics and logs for a telemetry: a meter provider whose collection runs at each flush, and a batch log
 * processor per destination, sharing the traces' destinations, resource, context and stats.
 */
export const metricsAndLogs: SignalPlugin = ({ config, env, diag, stats, resource, contextManager, enabled, destinations, queued }) => {
  const metricsConfig = resolveMetricsConfig(config.metrics, env, diag);
  const logProcessors: LogRecordProcessor[] = [];
  const metricExporters: MetricExporter[] = [];
  if (destinations.length) {
    const batch = resolveBatchConfig(config.logBatch, env, diag, "OTEL_BLRP");
    for (const transport of destinations) {
      logProcessors.push(new BatchLogRecordProcessor(new OtlpLogExporter(...transport("logs"), resource), queued(batch, config.logBatch?.scheduledDelayMillis)));
      metricExporters.push(new OtlpMetricExporter(...transport("metrics"), resource));
    }
  }
  logProcessors.push(...(config.logRecordProcessors ?? []));
  metricExporters.push(...(config.metricExporters ?? []));
  const logProcessor = new MultiLogRecordProcessor(logProcessors);
  const loggers = createLoggerProvider({
    processor: logProcessor,
    limits: resolveAttributeLimits(undefined, env, diag, "LOGRECORD"),
    contextManager,
    diag,
    enabled,
  });
  const meters = createMeterProvider({
    contextManager,
    diag,
    enabled,
    views: config.views,
    temporality: metricsConfig.temporality,
    defaultHistogram: metricsConfig.defaultHistogram,
    exemplarFilter: metricsConfig.exemplarFilter,
    cardinalityLimit: config.metrics?.cardinalityLimit,
    callbackTimeoutMs: metricsConfig.exportTimeoutMillis,
  });
  const uncapture = config.captureConsole && enabled ? captureConsole(loggers.logger("console")) : undefined;

  // One collection, given to every destination. Points of a failed export count as dropped: cumulative
  // series carry them in the next collection anyway; delta ones are lost.
  const exportMetrics = async (): Promise<ProcessorFlushResult> => {
    const metrics = await meters.collect();
    let points = 0;
    for (const m of metrics) points += m.points.length;
    const results = await Promise.all(
      metricExporters.map((e) =>
        exportSafely(e, metrics, metricsConfig.exportTimeoutMillis).then((r): ProcessorFlushResult => {
          if (r.status !== "success") stats.failedExports++;
          const lost = r.status === "success" ? (r.rejected! > 0 ? Math.min(r.rejected!, points) : 0) : points;
          const out: ProcessorFlushResult = { status: r.status, exported: points - lost, dropped: lost };
          if (r.message !== undefined) out.message = r.message;
          return out;
        }),
      ),
    );
    return combineFlushResults(results.length ? results : [{ status: "success", exported: 0, dropped: 0 }]);
  };
  let interval: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  const settle = (f: () => Promise<ProcessorFlushResult>) =>
    new Promise<ProcessorFlushResult>((r) => r(f())).catch((e: unknown): ProcessorFlushResult => ({ status: "failure", exported: 0, dropped: 0, message: String(e) }));

  return {
    meter(name, version, options) {
      // Long-lived servers only, on request; started by the first meter, never at construction.
      if (config.metrics?.periodic && enabled && !interval && !closed) {
        interval = setInterval(exportMetrics, metricsConfig.exportIntervalMillis);
        (interval as { unref?: () => void }).unref?.();
      }
      return meters.meter(name, version, options);
    },
    logger: (name, version, options) => loggers.logger(name, version, options),
    flush(end) {
      if (end) {
        closed = true;
        clearInterval(interval);
        uncapture?.();
      }
      return [settle(exportMetrics), settle(() => (end ? logProcessor.shutdown() : logProcessor.forceFlush()))];
    },
  };
};
