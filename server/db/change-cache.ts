// The one cache helper: values loaded from the database and kept in this process's memory until
// something of their org changes. Every process hears every change on the `agentry_changes`
// channel (server/db/notify.ts) and drops the entries of that org whose kinds it names; a load that
// raced a change is returned to its caller but not kept (each org has a generation, bumped on every
// drop). While the LISTEN connection is down nothing would drop an entry, so entries are trusted
// only briefly then; a longer expiry is a safety net even while it is up.
import { changeConcerns, isListening, onChange, type ChangeKind } from "./notify";

export interface ChangeCacheOptions<K, V> {
  /** Names the cache's state on globalThis (shared by the start script and Next's bundles). */
  name: string;
  /** Changes of these kinds drop the org's entries ("*" changes always do). */
  kinds: readonly ChangeKind[];
  load: (key: K) => Promise<V>;
  /** The org an entry belongs to, when the key names it… */
  orgOf?: (key: K) => string;
  /**
   * …or, when only the loaded value tells (an API key's hash), its org; null files the entry under
   * no org, and such entries (e.g. "no such key") are dropped on every change of the cache's kinds.
   */
  orgOfValue?: (value: V, key: K) => string | null;
  /** The entry's identity (default: the key itself, for string keys). */
  idOf?: (key: K) => string;
  /** Safety-net expiry while changes are being heard. */
  ttlMs: number;
  /** Expiry while they are not (LISTEN down): default 1 s. */
  untrustedTtlMs?: number;
  /** Oldest entries go first beyond this many. */
  maxEntries?: number;
}

export interface ChangeCache<K, V> {
  /** The value, synchronously when a trusted one is held, else a promise of a fresh load. */
  get(key: K): V | Promise<V>;
  /** Drops every entry of the org (this process; others drop theirs on the NOTIFY). */
  forget(orgId: string): void;
  clear(): void;
  size(): number;
}

interface Entry<V> {
  orgId: string;
  loadedAt: number;
  /** Set once the load resolved; until then `pending` is shared by concurrent callers. */
  value?: V;
  pending?: Promise<V>;
}

interface State<V> {
  entries: Map<string, Entry<V>>;
  byOrg: Map<string, Set<string>>;
  generations: Map<string, number>;
  /** Bumped on every drop: a load whose org was unknown when it started is kept only if none happened. */
  generation: number;
  unsubscribe: (() => void) | null;
}

/** Where entries of no org are filed. */
const NO_ORG = "";

const globalForCaches = globalThis as unknown as { agentryChangeCaches?: Map<string, State<unknown>> };

export function changeCache<K, V>(options: ChangeCacheOptions<K, V>): ChangeCache<K, V> {
  const idOf = options.idOf ?? ((key: K) => String(key));
  const untrustedTtlMs = options.untrustedTtlMs ?? 1_000;
  const maxEntries = options.maxEntries ?? 100_000;

  function state(): State<V> {
    const all = (globalForCaches.agentryChangeCaches ??= new Map());
    let s = all.get(options.name) as State<V> | undefined;
    if (!s) {
      s = { entries: new Map(), byOrg: new Map(), generations: new Map(), generation: 0, unsubscribe: null };
      all.set(options.name, s as State<unknown>);
    }
    if (!s.unsubscribe) {
      const held = s;
      held.unsubscribe = onChange((change) => {
        if (change.orgId === "*") clearAll(held);
        else if (changeConcerns(change, change.orgId, options.kinds)) forgetOrg(held, change.orgId);
      });
    }
    return s;
  }

  function dropFiled(s: State<V>, orgId: string): void {
    const ids = s.byOrg.get(orgId);
    if (!ids) return;
    for (const id of ids) s.entries.delete(id);
    s.byOrg.delete(orgId);
  }

  function forgetOrg(s: State<V>, orgId: string): void {
    s.generation += 1;
    s.generations.set(orgId, (s.generations.get(orgId) ?? 0) + 1);
    dropFiled(s, orgId);
    dropFiled(s, NO_ORG);
  }

  function clearAll(s: State<V>): void {
    s.generation += 1;
    for (const orgId of [...s.byOrg.keys(), ...s.generations.keys()]) s.generations.set(orgId, (s.generations.get(orgId) ?? 0) + 1);
    s.entries.clear();
    s.byOrg.clear();
  }

  function file(s: State<V>, orgId: string, id: string): void {
    let ids = s.byOrg.get(orgId);
    if (!ids) s.byOrg.set(orgId, (ids = new Set()));
    ids.add(id);
  }

  function remove(s: State<V>, id: string, entry: Entry<V>): void {
    if (s.entries.get(id) !== entry) return;
    s.entries.delete(id);
    s.byOrg.get(entry.orgId)?.delete(id);
  }

  function trusted(entry: Entry<V>, now: number): boolean {
    return now - entry.loadedAt < (isListening() ? options.ttlMs : untrustedTtlMs);
  }

  function load(s: State<V>, key: K, id: string): Promise<V> {
    const knownOrg = options.orgOf ? options.orgOf(key) : null;
    const generation = knownOrg === null ? s.generation : (s.generations.get(knownOrg) ?? 0);
    const unchanged = () => (knownOrg === null ? s.generation : (s.generations.get(knownOrg) ?? 0)) === generation;
    const entry: Entry<V> = { orgId: knownOrg ?? NO_ORG, loadedAt: Date.now() };
    const pending = options.load(key).then(
      (value) => {
        if (unchanged() && s.entries.get(id) === entry) {
          entry.value = value;
          entry.pending = undefined;
          if (knownOrg === null) {
            entry.orgId = options.orgOfValue?.(value, key) ?? NO_ORG;
            file(s, entry.orgId, id);
          }
        } else {
          remove(s, id, entry);
        }
        return value;
      },
      (error: unknown) => {
        remove(s, id, entry);
        throw error;
      },
    );
    entry.pending = pending;
    s.entries.set(id, entry);
    if (knownOrg !== null) file(s, knownOrg, id);
    if (s.entries.size > maxEntries) {
      const oldest = s.entries.entries().next().value;
      if (oldest) remove(s, oldest[0], oldest[1]);
    }
    return pending;
  }

  return {
    get(key) {
      const s = state();
      const id = idOf(key);
      const entry = s.entries.get(id);
      if (entry) {
        if (entry.pending) return entry.pending;
        if (trusted(entry, Date.now())) return entry.value as V;
        remove(s, id, entry);
      }
      return load(s, key, id);
    },
    forget(orgId) {
      forgetOrg(state(), orgId);
    },
    clear() {
      clearAll(state());
    },
    size() {
      return state().entries.size;
    },
  };
}
