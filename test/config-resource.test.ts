import { describe, expect, it, vi } from "vitest";
import { attributesToObject } from "../src/common/attributes.ts";
import type { DiagLogger } from "../src/common/types.ts";
import { createResource, getServiceInstanceId } from "../src/config/resource.ts";
import { VERSION } from "../src/version.ts";

function recordingDiag(): DiagLogger & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = (): void => {};
  return { warnings, warn: (m: string) => void warnings.push(m), error: ignore, info: ignore, debug: ignore };
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function attrs(options: Partial<Parameters<typeof createResource>[0]> = {}, diag = recordingDiag()): Record<string, unknown> {
  const resource = createResource({ env: {}, diag, ...options });
  expect(resource.droppedAttributesCount).toBe(0);
  return attributesToObject(resource.attributes);
}

describe("createResource", () => {
  it("has the SDK defaults", () => {
    const diag = recordingDiag();
    expect(attrs({}, diag)).toEqual({
      "telemetry.sdk.name": "edge-otel",
      "telemetry.sdk.language": "webjs",
      "telemetry.sdk.version": VERSION,
      "service.name": "unknown_service",
      "service.instance.id": getServiceInstanceId(),
    });
    expect(diag.warnings).toEqual([]);
  });

  it("gives one random UUID v4 as service.instance.id, shared by every resource", () => {
    const id = getServiceInstanceId();
    expect(id).toMatch(UUID_V4);
    expect(getServiceInstanceId()).toBe(id);
    expect(attrs()["service.instance.id"]).toBe(id);
  });

  it("makes the instance id from crypto.getRandomValues, lazily, in a fresh module", async () => {
    vi.resetModules();
    const spy = vi.spyOn(crypto, "getRandomValues");
    try {
      const fresh = await import("../src/config/resource.ts");
      expect(spy).not.toHaveBeenCalled();
      const id = fresh.getServiceInstanceId();
      expect(spy).toHaveBeenCalledTimes(1);
      expect(id).toMatch(UUID_V4);
      // Another module instance is another isolate: its id differs (122 random bits).
      expect(id).not.toBe(getServiceInstanceId());
      fresh.getServiceInstanceId();
      expect(spy).toHaveBeenCalledTimes(1);
      // The UUID is the random bytes with the version and variant bits set.
      const bytes = spy.mock.results[0]!.value as Uint8Array;
      const expected = Array.from(bytes, (b, i) => (i === 6 ? (b & 0x0f) | 0x40 : i === 8 ? (b & 0x3f) | 0x80 : b))
        .map((b) => b.toString(16).padStart(2, "0"))
        .join("");
      expect(id.replaceAll("-", "")).toBe(expected);
    } finally {
      spy.mockRestore();
    }
  });

  it("layers the sources in the spec's order of precedence", () => {
    // Each key is set by every source from the lowest up to some level; the highest one must win.
    const detected = { d: "detected", e: "detected", s: "detected", x: "detected", "service.name": "detected" };
    const env = {
      OTEL_RESOURCE_ATTRIBUTES: "e=env,s=env,x=env,service.name=resattr",
      OTEL_SERVICE_NAME: "svcenv",
    };
    const attributes = { x: "explicit", "service.name": "explicit", "service.version": "explicit" };
    expect(attrs({ detected, env })).toMatchObject({ d: "detected", e: "env", s: "env", x: "env", "service.name": "svcenv" });
    expect(attrs({ detected, env, attributes })).toMatchObject({
      d: "detected",
      e: "env",
      x: "explicit",
      "service.name": "explicit",
      "service.version": "explicit",
    });
    expect(attrs({ detected, env, attributes, serviceName: "named", serviceVersion: "1.2.3" })).toMatchObject({
      x: "explicit",
      "service.name": "named",
      "service.version": "1.2.3",
    });
  });

  it("lets service.name in OTEL_RESOURCE_ATTRIBUTES replace the default", () => {
    expect(attrs({ env: { OTEL_RESOURCE_ATTRIBUTES: "service.name=from-attrs" } })["service.name"]).toBe("from-attrs");
  });

  it("lets OTEL_SERVICE_NAME win over service.name in OTEL_RESOURCE_ATTRIBUTES, in either order", () => {
    const env = { OTEL_SERVICE_NAME: "svc", OTEL_RESOURCE_ATTRIBUTES: "service.name=other" };
    expect(attrs({ env })["service.name"]).toBe("svc");
    expect(attrs({ env: { OTEL_RESOURCE_ATTRIBUTES: "service.name=other", OTEL_SERVICE_NAME: "svc" } })["service.name"]).toBe("svc");
  });

  it("lets detected, environment and explicit values override the SDK defaults", () => {
    expect(attrs({ detected: { "telemetry.sdk.language": "js" } })["telemetry.sdk.language"]).toBe("js");
    expect(attrs({ env: { OTEL_RESOURCE_ATTRIBUTES: "telemetry.sdk.name=x" } })["telemetry.sdk.name"]).toBe("x");
  });

  it("keeps a user's service.instance.id from any source", () => {
    expect(attrs({ detected: { "service.instance.id": "d" } })["service.instance.id"]).toBe("d");
    expect(attrs({ env: { OTEL_RESOURCE_ATTRIBUTES: "service.instance.id=e" } })["service.instance.id"]).toBe("e");
    expect(attrs({ attributes: { "service.instance.id": "a" } })["service.instance.id"]).toBe("a");
  });

  it("percent-decodes OTEL_RESOURCE_ATTRIBUTES", () => {
    const value = "a, b=c %41 ü";
    const env = { OTEL_RESOURCE_ATTRIBUTES: ` k8s.pod.name = ${encodeURIComponent(value)} , deployment.environment=prod` };
    expect(attrs({ env })).toMatchObject({ "k8s.pod.name": value, "deployment.environment": "prod" });
  });

  it.each(["a=1,b=%E0%A4%A", "a=1,broken", "a=1,=2", "a=%zz,b=2"])(
    "discards all of OTEL_RESOURCE_ATTRIBUTES=%j with one warning",
    (value) => {
      const diag = recordingDiag();
      const got = attrs({ env: { OTEL_RESOURCE_ATTRIBUTES: value } }, diag);
      expect(got).toEqual(attrs());
      expect(diag.warnings).toHaveLength(1);
      expect(diag.warnings[0]).toContain("OTEL_RESOURCE_ATTRIBUTES");
      expect(diag.warnings[0]).toContain(JSON.stringify(value));
    },
  );

  it("still applies OTEL_SERVICE_NAME when OTEL_RESOURCE_ATTRIBUTES is discarded", () => {
    const diag = recordingDiag();
    expect(attrs({ env: { OTEL_RESOURCE_ATTRIBUTES: "bad", OTEL_SERVICE_NAME: "svc" } }, diag)["service.name"]).toBe("svc");
    expect(diag.warnings).toHaveLength(1);
  });

  it("treats empty variables and names as unset", () => {
    const diag = recordingDiag();
    const got = attrs({ env: { OTEL_SERVICE_NAME: "", OTEL_RESOURCE_ATTRIBUTES: "  " }, serviceName: "", serviceVersion: "" }, diag);
    expect(got).toEqual(attrs());
    expect(diag.warnings).toEqual([]);
  });

  it("is exempt from attribute limits", () => {
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, "v".repeat(5000)]));
    const got = attrs({ attributes: many });
    expect(Object.keys(got)).toHaveLength(300 + 5);
    expect(got["k299"]).toBe("v".repeat(5000));
  });

  it("keeps typed explicit and detected values, dropping invalid ones with a warning", () => {
    const diag = recordingDiag();
    const got = attrs(
      {
        detected: { "process.pid": 42, flag: true },
        attributes: { tags: ["a", "b"], bad: { x: 1 } as unknown as string, skipped: undefined },
      },
      diag,
    );
    expect(got).toMatchObject({ "process.pid": 42, flag: true, tags: ["a", "b"] });
    expect("bad" in got).toBe(false);
    expect("skipped" in got).toBe(false);
    expect(diag.warnings).toHaveLength(1);
  });
});
