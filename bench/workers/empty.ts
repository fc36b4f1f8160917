// The baseline for cold start: a Worker that answers without any telemetry.
export default {
  async fetch(): Promise<Response> {
    return new Response("ok");
  },
};
