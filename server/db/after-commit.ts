// Work that must wait until a transaction has committed: dropping this process's cached facts so
// its next request reads the write (every process, this one included, also hears the NOTIFY the
// transaction sent, a moment later). A data function registers it on the transaction it writes
// in; `transaction` runs it once the commit succeeded, and never after a rollback.
import type { Db, Tx } from "../db";

const pending = new WeakMap<Tx, (() => void)[]>();

/** Runs `work` in a transaction, then what it registered with `afterCommit`, in order. */
export async function transaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const hooks: (() => void)[] = [];
  const result = await db.$transaction(async (tx) => {
    pending.set(tx, hooks);
    return work(tx);
  });
  for (const hook of hooks) hook();
  return result;
}

/** Registers `hook` to run after `tx` commits. `tx` must come from `transaction` above. */
export function afterCommit(tx: Tx, hook: () => void): void {
  const hooks = pending.get(tx);
  if (!hooks) throw new Error("afterCommit: this transaction was not started by transaction() (server/db/after-commit.ts)");
  hooks.push(hook);
}
