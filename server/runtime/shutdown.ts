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
