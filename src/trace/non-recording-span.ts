import type { SpanContext } from "./span-context.ts";
import type { Span } from "./span-api.ts";

/**
 * A span that records nothing: the form of a remote parent, of an unsampled span, and of every span
 * while the SDK is disabled or outside an instrumented invocation. It still carries its context, so
 * propagation keeps working.
 */
export class NonRecordingSpan implements Span {
  readonly #sc: SpanContext;
  constructor(sc: SpanContext) {
    this.#sc = sc;
  }
  spanContext(): SpanContext {
    return this.#sc;
  }
  setAttribute(): this {
    return this;
  }
  setAttributes(): this {
    return this;
  }
  addEvent(): this {
    return this;
  }
  addLink(): this {
    return this;
  }
  addLinks(): this {
    return this;
  }
  setStatus(): this {
    return this;
  }
  updateName(): this {
    return this;
  }
  end(): void {}
  isRecording(): boolean {
    return false;
  }
  recordException(): void {}
}
