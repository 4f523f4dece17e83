// TEMPORARY (until the PostgreSQL job queue runs them): anomaly detection and control evaluation
// for every org, on intervals in this process. Both jobs are idempotent and safe in several
// processes at once, so N replicas doing this only repeat work.
import "server-only";
import { getPool } from "../db/pool";
import { detectAnomalies } from "./anomalies";
import { evaluateControls } from "./compliance-evaluate";

const ANOMALY_INTERVAL_MS = Number(process.env.AGENTRY_ANOMALY_INTERVAL_MS ?? 15_000);
const EVALUATION_INTERVAL_MS = Number(process.env.AGENTRY_EVALUATION_INTERVAL_MS ?? 5 * 60_000);

async function eachOrg(work: (orgId: string) => Promise<unknown>, label: string): Promise<void> {
  const { rows } = await getPool().query<{ id: string }>("SELECT id FROM orgs");
  for (const row of rows) {
    await work(row.id).catch((error: unknown) => console.error(`${label} failed for org ${row.id}:`, (error as Error).message));
  }
}

export function startComplianceJobs(): () => void {
  let running = { anomalies: false, evaluation: false };
  const run = (kind: keyof typeof running, work: () => Promise<void>) => {
    if (running[kind]) return;
    running = { ...running, [kind]: true };
    void work()
      .catch((error: unknown) => console.error(`compliance job ${kind}:`, (error as Error).message))
      .finally(() => {
        running = { ...running, [kind]: false };
      });
  };
  const anomalies = () => run("anomalies", () => eachOrg((orgId) => detectAnomalies(orgId, new Date()), "anomaly detection"));
  const evaluation = () => run("evaluation", () => eachOrg((orgId) => evaluateControls(orgId, new Date()), "control evaluation"));
  const first = setTimeout(() => {
    evaluation();
    anomalies();
  }, 2_000);
  const anomalyTimer = setInterval(anomalies, ANOMALY_INTERVAL_MS);
  const evaluationTimer = setInterval(evaluation, EVALUATION_INTERVAL_MS);
  first.unref();
  anomalyTimer.unref();
  evaluationTimer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(anomalyTimer);
    clearInterval(evaluationTimer);
  };
}
