// The demo org (docs/demo.md): seeded once, on an empty database, in demo mode.
// Later features add their part of Acme here (agents, models, budgets, policies, history).
import { randomBytes } from "node:crypto";
import type { Db } from "../../server/db";
import { hashPassword } from "../../server/auth/password";
import { appendAudit, type AuditActor } from "../../server/data/audit";
import type { Role } from "../../server/domain/access/permissions";
import { usdToMicros } from "../../server/domain/cost/money";
import { generateApiKey } from "../../server/domain/keys/api-key";
import { SEED_AGENTS } from "./agents";
import { seedBudgets } from "./budgets";
import { seedLifecycle } from "./lifecycle";
import { SEED_MODELS } from "./models";
import { addMember, createAgentWithKey, createOrg } from "./org";
import { seedPolicies } from "./policies";
import { SEED_ROUTING_RULES, seedRouting } from "./routing";

export interface DemoUser {
  email: string;
  password: string;
  role: Role;
  teams: string[];
}

export const DEMO_ORG = { slug: "acme", name: "Acme Corp" } as const;
export const DEMO_TEAMS = ["Marketing", "Finance", "IT", "Customer Service"] as const;

const DEMO_PEOPLE: { email: string; name: string; role: Role; teams: string[] }[] = [
  { email: "owner@acme.test", name: "Olivia Owner", role: "owner", teams: [] },
  { email: "cio@acme.test", name: "Chris Chief", role: "viewer", teams: [] },
  { email: "compliance@acme.test", name: "Casey Compliance", role: "compliance", teams: [] },
  { email: "lead.finance@acme.test", name: "Fatima Finance", role: "team_lead", teams: ["Finance"] },
  { email: "lead.marketing@acme.test", name: "Marco Marketing", role: "team_lead", teams: ["Marketing"] },
];

const SYSTEM: AuditActor = { type: "system", id: null, label: "system (demo seed)" };

function demoPassword(): string {
  return `demo-${randomBytes(9).toString("base64url")}`;
}

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  return (await db.org.count()) === 0;
}

export interface DemoSeed {
  users: DemoUser[];
  /** Agent name → its demo key (keys exist only here and in demo.json; the database has hashes). */
  agentKeys: Record<string, string>;
  ingestKey: string;
}

/** Seeds Acme Corp; returns the demo logins and keys. */
export async function seedDemoOrg(db: Db): Promise<DemoSeed> {
  const agentKeys: Record<string, string> = {};
  let ingestKey = "";
  const people = await Promise.all(DEMO_PEOPLE.map(async (person) => ({ ...person, password: demoPassword() })));
  const hashes = await Promise.all(people.map((person) => hashPassword(person.password)));

  await db.$transaction(
    async (tx) => {
      const acme = await createOrg(tx, SYSTEM, { slug: DEMO_ORG.slug, name: DEMO_ORG.name, teams: DEMO_TEAMS });
      const teamIds = acme.teamIds;
      for (const [index, person] of people.entries()) {
        await addMember(tx, SYSTEM, acme, { ...person, passwordHash: hashes[index] ?? null });
      }

      await tx.model.createMany({
        data: SEED_MODELS.map((model) => ({
          orgId: acme.orgId,
          provider: model.provider,
          name: model.name,
          inputMicrosPerMTok: usdToMicros(model.inputUsdPerMTok),
          outputMicrosPerMTok: usdToMicros(model.outputUsdPerMTok),
          qualityTier: model.qualityTier,
          contextWindow: model.contextWindow,
          status: model.status,
        })),
      });
      await appendAudit(tx, acme.orgId, SYSTEM, { action: "models.seeded", targetType: "model_registry", after: { models: SEED_MODELS.map((model) => model.name) } });
      await seedRouting(tx, acme.orgId);
      await appendAudit(tx, acme.orgId, SYSTEM, { action: "routing.seeded", targetType: "routing_rules", after: { rules: SEED_ROUTING_RULES } });

      const agentIds = new Map<string, string>();
      for (const seed of SEED_AGENTS) {
        const agent = await createAgentWithKey(tx, SYSTEM, acme, seed, "demo");
        agentIds.set(seed.name, agent.agentId);
        agentKeys[seed.name] = agent.apiKey;
      }

      const ingest = generateApiKey();
      const ingestRow = await tx.apiKey.create({
        data: { orgId: acme.orgId, kind: "ingest", name: "demo collector", prefix: ingest.prefix, hash: ingest.hash, createdBy: SYSTEM.label },
      });
      await appendAudit(tx, acme.orgId, SYSTEM, { action: "key.created", targetType: "api_key", targetId: ingestRow.id, after: { kind: "ingest", name: ingestRow.name, prefix: ingestRow.prefix } });
      ingestKey = ingest.key;

      await seedBudgets(tx, { orgId: acme.orgId, teamIds, agentIds, system: SYSTEM });
      await seedPolicies(tx, { orgId: acme.orgId, system: SYSTEM, teamIds, agentIds });
      await seedLifecycle(tx, { orgId: acme.orgId, agentIds, teamIds, system: SYSTEM, now: new Date() });
    },
    { timeout: 60_000 },
  );

  return { users: people.map(({ email, password, role, teams }) => ({ email, password, role, teams })), agentKeys, ingestKey };
}
