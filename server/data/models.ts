// The org's model registry: listed for pickers (prices as micro-dollar strings per million tokens)
// and changed by admins, audited in the caller's transaction. Decisions read it from the org's facts,
// which this process drops on commit (the others on the tables' NOTIFY).
import type { AuthorizedOrgId } from "../auth/access";
import type { DbOrTx, Tx } from "../db";
import { afterCommit } from "../db/after-commit";
import { microsToUsdString, usdToMicros } from "../domain/cost/money";
import type { AuditWriter } from "./audit";
import { forgetFacts } from "./facts";

export interface ModelEntry {
  provider: string;
  name: string;
  /** USD per million tokens, as a decimal string. */
  inputUsdPerMTok: string;
  outputUsdPerMTok: string;
  qualityTier: number;
  contextWindow: number | null;
  status: "active" | "deprecated" | "disabled";
}

function modelSnapshot(model: { provider: string; name: string; inputMicrosPerMTok: bigint; outputMicrosPerMTok: bigint; qualityTier: number; contextWindow: number | null; status: string }) {
  return {
    provider: model.provider,
    name: model.name,
    inputUsdPerMTok: microsToUsdString(model.inputMicrosPerMTok),
    outputUsdPerMTok: microsToUsdString(model.outputMicrosPerMTok),
    qualityTier: model.qualityTier,
    contextWindow: model.contextWindow,
    status: model.status,
  };
}

export async function listModels(db: DbOrTx, orgId: AuthorizedOrgId) {
  const models = await db.model.findMany({ where: { orgId }, orderBy: [{ provider: "asc" }, { name: "asc" }] });
  return models.map(({ id, name, provider, qualityTier, contextWindow, status, inputMicrosPerMTok, outputMicrosPerMTok }) => ({
    id,
    name,
    provider,
    qualityTier,
    contextWindow,
    status,
    inputMicrosPerMTok: inputMicrosPerMTok.toString(),
    outputMicrosPerMTok: outputMicrosPerMTok.toString(),
  }));
}

/** Adds a model to the registry, or changes its prices, tier or status (keyed by its name). */
export async function upsertModel(tx: Tx, audit: AuditWriter, orgId: AuthorizedOrgId, entry: ModelEntry) {
  const key = { orgId_name: { orgId, name: entry.name } };
  const fields = {
    provider: entry.provider,
    inputMicrosPerMTok: usdToMicros(entry.inputUsdPerMTok),
    outputMicrosPerMTok: usdToMicros(entry.outputUsdPerMTok),
    qualityTier: entry.qualityTier,
    contextWindow: entry.contextWindow,
    status: entry.status,
  };
  const before = await tx.model.findUnique({ where: key });
  const model = await tx.model.upsert({ where: key, create: { orgId, name: entry.name, ...fields }, update: fields });
  await audit({
    action: before ? "model.updated" : "model.created",
    targetType: "model",
    targetId: model.name,
    before: before ? modelSnapshot(before) : null,
    after: modelSnapshot(model),
  });
  afterCommit(tx, () => forgetFacts(orgId));
  return { name: model.name };
}
