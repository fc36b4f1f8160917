// `npm start`: the built-in OTLP receiver on loopback, and a small instrumented program sending to it.
// The receiver prints each trace as a waterfall.
import { startOtlpReceiver } from "../cli/receiver-server.ts";
import { runCheckout } from "../examples/node/checkout.ts";

const preferred = Number(process.env.OTLP_RECEIVER_PORT ?? 4318);
let receiver;
try {
  receiver = await startOtlpReceiver({ port: preferred });
} catch {
  // 4318 is taken (a collector is running?): use any free port so the demo still runs.
  receiver = await startOtlpReceiver({ port: 0 });
}
console.log(`demo: sending a checkout trace to ${receiver.url}\n`);
const result = await runCheckout(receiver.url);
console.log(`\ndemo: flush → ${result.ok ? "ok" : "NOT ok"}: ${JSON.stringify(result.traces)}`);
await receiver.close();
process.exit(result.ok ? 0 : 1);
