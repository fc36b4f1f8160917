import type { DiagLogger } from "./types.ts";

/** A diag logger that drops everything. */
export const noopDiag: DiagLogger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
};

/**
 * The SDK's diag logger: the user's, if given, as is; otherwise `console.warn` once per distinct
 * problem (errors and warnings), so a hot path that keeps failing cannot flood the logs.
 */
export function createDiag(user: DiagLogger | undefined): DiagLogger {
  if (user != null) return user;
  const seen = new Set<string>();
  const once = (message: string, args: unknown[]) => {
    if (seen.has(message) || seen.size > 256) return;
    seen.add(message);
    getConsoleWarn()("[edge-otel] " + message, ...args);
  };
  return {
    error: (m, ...a) => once(m, a),
    warn: (m, ...a) => once(m, a),
    info() {},
    debug() {},
  };
}

// The console bridge (logs) wraps console methods; the SDK's own warnings must not loop back into
// it, so they go through the original console.warn, which the bridge records here.
const ORIGINAL_WARN = Symbol.for("edge-otel.original-console-warn");

function getConsoleWarn(): (...args: unknown[]) => void {
  const c = globalThis.console as Console & { [ORIGINAL_WARN]?: (...args: unknown[]) => void };
  const warn = c[ORIGINAL_WARN] ?? c.warn;
  return (...args) => warn.apply(c, args);
}
