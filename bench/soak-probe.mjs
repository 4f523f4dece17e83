// Loaded into the app by bench/soak.ts (`node --import ./bench/soak-probe.mjs`): sends the app
// process's memory to the bench over IPC every SOAK_SAMPLE_MS. With --expose-gc it collects
// garbage first, so the heap figure is what is live, not what is waiting to be collected.
const every = Number(process.env.SOAK_SAMPLE_MS ?? 5000);
if (typeof process.send === "function") {
  const timer = setInterval(() => {
    if (typeof globalThis.gc === "function") globalThis.gc();
    const memory = process.memoryUsage();
    process.send?.({ type: "memory", at: Date.now(), rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, external: memory.external });
  }, every);
  timer.unref();
  // The channel must not keep the app alive at shutdown.
  process.channel?.unref();
}
