// The model registry and routing rules as the decide pipeline needs them: read once per org and
// kept for a moment (a busy agent fleet asks many times a second), dropped on any change.
import "server-only";
import { onChange } from "../db/notify";
import { getPool } from "../db/pool";
import { checkModel, routeTask, type RoutableModel, type RouteResult, type RoutingRuleSpec } from "../domain/routing/route";

interface RoutingSnapshot {
  models: RoutableModel[];
  rules: Map<string, RoutingRuleSpec>;
  loadedAt: number;
}

const TTL_MS = 5_000;
const snapshots = new Map<string, Promise<RoutingSnapshot>>();

export function forgetRouting(orgId: string): void {
  snapshots.delete(orgId);
}

// Model registry and routing rule changes in any process drop this process's copy.
let subscribed = false;
function subscribe(): void {
  if (subscribed) return;
  subscribed = true;
  onChange((change) => {
    if (change.orgId === "*") snapshots.clear();
    else if (change.kind === "routing" || change.kind === "*") snapshots.delete(change.orgId);
  });
}

async function load(orgId: string): Promise<RoutingSnapshot> {
  const pool = getPool();
  const [models, rules] = await Promise.all([
    pool.query<{ name: string; provider: string; input: string; output: string; quality_tier: number; status: RoutableModel["status"] }>(
      "SELECT name, provider, input_micros_per_mtok AS input, output_micros_per_mtok AS output, quality_tier, status FROM models WHERE org_id = $1",
      [orgId],
    ),
    pool.query<{ task_type: string; min_quality: number; allowed_providers: string[]; fallback_chain: string[] }>(
      "SELECT task_type, min_quality, allowed_providers, fallback_chain FROM routing_rules WHERE org_id = $1",
      [orgId],
    ),
  ]);
  return {
    models: models.rows.map((row) => ({
      name: row.name,
      provider: row.provider,
      inputMicrosPerMTok: BigInt(row.input),
      outputMicrosPerMTok: BigInt(row.output),
      qualityTier: row.quality_tier,
      status: row.status,
    })),
    rules: new Map(
      rules.rows.map((row) => [
        row.task_type,
        { taskType: row.task_type, minQuality: row.min_quality, allowedProviders: row.allowed_providers, fallbackChain: row.fallback_chain },
      ]),
    ),
    loadedAt: Date.now(),
  };
}

export async function routingSnapshot(orgId: string): Promise<RoutingSnapshot> {
  subscribe();
  const cached = snapshots.get(orgId);
  if (cached) {
    const snapshot = await cached.catch(() => null);
    if (snapshot && Date.now() - snapshot.loadedAt < TTL_MS) return snapshot;
  }
  const loading = load(orgId);
  snapshots.set(orgId, loading);
  loading.catch(() => snapshots.delete(orgId));
  return loading;
}

export type RoutingAnswer = RouteResult | { ok: false; unknownTaskType: string };

/**
 * `requestedModel` "auto" routes by task type; another name asks whether that model may be used
 * (for the task type's rule when one is given).
 */
export async function routeModel(
  orgId: string,
  input: { taskType: string | null; requestedModel: string; killedModels: ReadonlySet<string> },
): Promise<RoutingAnswer> {
  const snapshot = await routingSnapshot(orgId);
  const rule = input.taskType ? (snapshot.rules.get(input.taskType) ?? null) : null;
  if (input.taskType && !rule) return { ok: false, unknownTaskType: input.taskType };
  if (input.requestedModel === "auto") {
    if (!rule) return { ok: false, reasons: [{ code: "task_type_required", message: 'Asking for model "auto" needs a taskType that has a routing rule.' }] };
    return routeTask(snapshot.models, rule, input.killedModels);
  }
  return checkModel(snapshot.models, input.requestedModel, rule, input.killedModels);
}

export async function knownTaskTypes(orgId: string): Promise<string[]> {
  return [...(await routingSnapshot(orgId)).rules.keys()].sort();
}
