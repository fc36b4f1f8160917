import { now } from "../common/clock.ts";
import type { Logger } from "./logger-api.ts";

/*
 * The console bridge: console.debug, log, info, warn and error also become log records. console.trace is
 * left alone: it prints a stack for debugging, and its TRACE records would be filtered out by most backends.
 * https://opentelemetry.io/docs/specs/otel/logs/supplementary-guidelines/#how-to-create-a-log4j-log-appender
 */

type Method = (...args: unknown[]) => void;
type Con = Record<string | symbol, unknown>;

// Shared through the console object itself, so two copies of the SDK in one bundle wrap it once.
const STATE = /*#__PURE__*/ Symbol.for("edge-otel.console-bridge");
// Where diag.ts finds the original console.warn, so the SDK's own warnings never come back as records.
const ORIGINAL_WARN = /*#__PURE__*/ Symbol.for("edge-otel.original-console-warn");

interface BridgeState {
  /** The loggers records go to, each with how many installs hold it. */
  loggers: Map<Logger, number>;
  /** The property descriptors replaced, to put back exactly. */
  saved: Map<string | symbol, PropertyDescriptor | undefined>;
  wrappers: Map<string, Method>;
  /** True while a record is being made: a console call from inside (a diag logger, a getter) is only printed. */
  busy: boolean;
}

// Method, severity number, severity text. https://opentelemetry.io/docs/specs/otel/logs/data-model/#field-severitynumber
const LEVELS = [
  ["debug", 5, "DEBUG"],
  ["log", 9, "INFO"],
  ["info", 9, "INFO"],
  ["warn", 13, "WARN"],
  ["error", 17, "ERROR"],
] as const;

/**
 * Makes console.debug, log, info, warn and error also emit a log record through `logger`: the matching
 * severity, the message formatted as the console formats it, trace correlation from the active context.
 * The original output still appears. Installing again (with any logger) wraps nothing twice; each logger
 * gets each call once. Returns the uninstall function; the last uninstall puts the console back as it was.
 */
export function captureConsole(logger: Logger): () => void {
  const c = globalThis.console as unknown as Con;
  let s = c[STATE] as BridgeState | undefined;
  if (!s) {
    const state: BridgeState = (s = { loggers: new Map(), saved: new Map(), wrappers: new Map(), busy: false });
    const save = (key: string | symbol) => state.saved.set(key, Object.getOwnPropertyDescriptor(c, key));
    save(STATE);
    c[STATE] = state;
    if (!c[ORIGINAL_WARN]) {
      save(ORIGINAL_WARN);
      c[ORIGINAL_WARN] = c.warn;
    }
    for (const [name, severityNumber, severityText] of LEVELS) {
      const original = c[name];
      if (typeof original !== "function") continue;
      const wrapper: Method = (...args) => {
        if (!state.busy && state.loggers.size) {
          state.busy = true;
          try {
            // One clock read for both times: the call is the event, observed as it happens.
            const t = now();
            const record = { severityNumber, severityText, body: formatConsoleArgs(args), timestamp: t, observedTimestamp: t };
            for (const l of state.loggers.keys()) l.emit(record);
          } catch {
            // Arguments that cannot even be formatted are printed, not recorded.
          } finally {
            state.busy = false;
          }
        }
        return original.apply(c, args);
      };
      save(name);
      try {
        c[name] = wrapper;
        state.wrappers.set(name, wrapper);
      } catch {
        // A frozen console cannot be captured; it still works.
      }
    }
  }
  const loggers = s.loggers;
  loggers.set(logger, (loggers.get(logger) ?? 0) + 1);
  let installed = true;
  return () => {
    if (!installed) return;
    installed = false;
    const n = loggers.get(logger)! - 1;
    if (n) loggers.set(logger, n);
    else loggers.delete(logger);
    if (loggers.size) return;
    // A method someone else wrapped since keeps our wrapper underneath, now passing calls straight through.
    for (const [key, d] of s.saved) {
      const ours = s.wrappers.get(key as string);
      if (typeof key === "string" && !ours) continue;
      if (ours && c[key] !== ours) continue;
      if (d) Object.defineProperty(c, key, d);
      else delete c[key];
    }
  };
}

/**
 * `args` as one string, as console.log formats them: a first string argument may hold %s %d %i %f %j %o
 * %O %c and %%; the remaining arguments follow, separated by spaces, objects rendered by `render`.
 * https://console.spec.whatwg.org/#formatter
 */
export function formatConsoleArgs(args: readonly unknown[]): string {
  let i = 0;
  let out = "";
  const first = args[0];
  if (typeof first === "string") {
    i = 1;
    // As Node does, a lone string is not touched, not even its %%.
    out =
      args.length < 2
        ? first
        : first.replace(/%([sdifjoOc%])/g, (m, c: string) => {
            if (c === "%") return "%";
            if (i >= args.length) return m;
            const a = args[i++];
            const t = typeof a;
            // A bigint keeps its n; a symbol is no number.
            if ("dif".includes(c) && (t == "bigint" || t == "symbol")) return t == "bigint" ? `${a}n` : "NaN";
            return c == "s"
              ? t == "object" && a && !(a instanceof Error) && hasOwnToString(a)
                ? String(a)
                : render(a, 1)
              : c == "d"
                ? render(Number(a))
                : c == "i"
                  ? `${parseInt(a as string)}`
                  : c == "f"
                    ? `${parseFloat(a as string)}`
                    : c == "j"
                      ? json(a)
                      : c == "c"
                        ? ""
                        : render(a, 1);
          });
  }
  for (; i < args.length; i++) out += (i ? " " : "") + (typeof args[i] === "string" ? args[i] : render(args[i], 1));
  return out;
}

function json(a: unknown): string {
  try {
    return `${JSON.stringify(a)}`;
  } catch (e) {
    return /circular/i.test(String(e)) ? "[Circular]" : render(a, 1);
  }
}

// An object with its own idea of text (a URL, a class with toString), which %s shows as such.
function hasOwnToString(a: object): boolean {
  const f = (a as { toString?: unknown }).toString;
  return typeof f === "function" && f !== Object.prototype.toString && f !== Array.prototype.toString;
}

const MAX_ITEMS = 100;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * `v` as text, inspect style and safe: strings quoted when nested, bigints with n, errors with their stack,
 * cause and own properties, cycles as [Circular], objects past 3 levels as [Object], at most 100 items
 * each. `level` is 1 for a top-level argument; `seen` holds the objects `v` is inside.
 */
function render(v: unknown, level = 0, seen: object[] = []): string {
  const t = typeof v;
  if (t === "string") return level > 1 ? JSON.stringify(v) : (v as string);
  if (t === "bigint") return `${v}n`;
  if (t === "function") return `[Function${(v as Method).name ? ": " + (v as Method).name : " (anonymous)"}]`;
  if (!v || t !== "object") return Object.is(v, -0) ? "-0" : String(v);
  const o = v as object;
  if (seen.includes(o)) return "[Circular]";
  if (o instanceof Date) return isNaN(+o) ? "Invalid Date" : o.toISOString();
  if (o instanceof RegExp) return String(o);
  const isError = o instanceof Error;
  const isList = Array.isArray(o) || ArrayBuffer.isView(o);
  if (level > 3 && !isError) return isList ? "[Array]" : "[Object]";
  const inner = [...seen, o];
  const item = (x: unknown) => render(x, level + 1, inner);
  const items: string[] = [];
  const each = <T>(it: Iterable<T>, size: number, f: (x: T) => string) => {
    for (const x of it) {
      if (items.length === MAX_ITEMS) return items.push(`... ${size - MAX_ITEMS} more`);
      items.push(f(x));
    }
  };
  if (o instanceof Map) each(o, o.size, ([k, x]) => `${item(k)} => ${item(x)}`);
  else if (o instanceof Set || isList) each(o as Iterable<unknown>, (o as Set<unknown>).size ?? (o as unknown[]).length, item);
  const keys = isList ? [] : Object.keys(o);
  each(keys, keys.length, (k) => `${IDENTIFIER.test(k) ? k : JSON.stringify(k)}: ${item((o as Record<string, unknown>)[k])}`);
  let head = "";
  if (isError) {
    // V8's stack starts with the name and message; other engines' stacks hold only the frames.
    const text = String(o);
    const stack = o.stack;
    head = typeof stack === "string" ? (stack.includes(text) ? stack : `${text}\n${stack}`) : text;
    if ("cause" in o && !keys.includes("cause")) items.push(`[cause]: ${item(o.cause)}`);
    if (!items.length) return head;
  } else {
    const name = (o as { constructor?: { name?: string } }).constructor?.name;
    if (name && name !== "Object" && name !== "Array") head = o instanceof Map || o instanceof Set ? `${name}(${o.size})` : name;
  }
  const [open, close] = isList ? "[]" : "{}";
  return `${head ? head + " " : ""}${open}${items.length ? ` ${items.join(", ")} ` : ""}${close}`;
}
