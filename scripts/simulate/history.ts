// Weeks of the demo fleet's past, planned with the simulator's traffic model (pure): weekday peaks
// and quiet weekends, office hours (round the clock for customer-facing agents), the Finance close
// at month end, slow adoption growth, the support chatbot's bad day, and two unregistered agents
// that started reporting recently. prisma/seed/history.ts stores the plan through the ingest pipeline.
import { createRng, seedFrom, type Rng } from "./prng";
import { demoFleet, taskFor, type DraftEvent, type FleetMember } from "./traffic";

export interface HistoryPlanOptions {
  days: number;
  now: Date;
  seed?: number;
  fleet?: FleetMember[];
}

export interface PlannedAgent {
  member: FleetMember;
  /** Events with ids that are unique per agent and stable for a seed (so a re-run deduplicates). */
  events: (DraftEvent & { id: string })[];
  tasks: number;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Share of a weekday's work in each UTC hour for an office-hours agent. */
const OFFICE_HOURS = [0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0.35, 0.8, 1, 1, 1, 1, 0.8, 1, 1, 1, 0.95, 0.8, 0.55, 0.35, 0.2, 0.1, 0.05, 0.05];

/** Agents whose work is the month-end close: busier on its last two and first three business days. */
const MONTH_END_BOOST: Record<string, number> = { "reconciliation-agent": 3.5, "financial-analyst": 3 };

/** Unregistered agents appear part-way through the history: days before "now" they started. */
const STARTED_DAYS_AGO: Record<string, number> = { "shadow-gpt": 9, "marketing-scraper": 4 };

const isWeekend = (day: Date) => day.getUTCDay() === 0 || day.getUTCDay() === 6;

function businessDaysOfMonth(year: number, month: number): number[] {
  const days: number[] = [];
  for (let d = 1; d <= 31; d++) {
    const date = new Date(Date.UTC(year, month, d));
    if (date.getUTCMonth() !== month) break;
    if (!isWeekend(date)) days.push(d);
  }
  return days;
}

/** The month-end close: the month's last two business days and the next month's first three. */
export function isMonthEndClose(day: Date): boolean {
  if (isWeekend(day)) return false;
  const business = businessDaysOfMonth(day.getUTCFullYear(), day.getUTCMonth());
  const index = business.indexOf(day.getUTCDate());
  return index >= 0 && (index < 3 || index >= business.length - 2);
}

/** The support chatbot's incident: the weekday about eight days back, 09:00–15:00 UTC. */
export function incidentDay(now: Date): Date {
  let day = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS - 8 * DAY_MS);
  while (isWeekend(day)) day = new Date(day.getTime() - DAY_MS);
  return day;
}

export const INCIDENT = { agent: "support-chatbot", fromHour: 9, toHour: 15, errorRate: 0.28 } as const;

/** Expected tasks of `member` in the hour starting at `hour`. */
export function expectedTasks(member: FleetMember, hour: Date, options: { days: number; now: Date }): number {
  const { profile } = member;
  const daysAgo = (options.now.getTime() - hour.getTime()) / DAY_MS;
  const started = STARTED_DAYS_AGO[member.agent];
  if (started !== undefined && daysAgo > started) return 0;
  const weekday = hour.getUTCDay();
  let dayFactor = isWeekend(hour) ? profile.weekendFactor : weekday === 1 ? 1.1 : weekday === 5 ? 0.9 : 1;
  const boost = MONTH_END_BOOST[member.agent];
  if (boost !== undefined && isMonthEndClose(hour)) dayFactor *= boost;
  // Adoption grows: the first day of the history runs at about 80 % of today's volume.
  const growth = 1 - 0.2 * Math.min(1, Math.max(0, daysAgo / Math.max(1, options.days)));
  const hourShare = Math.max(profile.nightFactor * 0.6, OFFICE_HOURS[hour.getUTCHours()] ?? 0);
  const total = OFFICE_HOURS.reduce((sum, share) => sum + Math.max(profile.nightFactor * 0.6, share), 0);
  return (profile.tasksPerWeekday * dayFactor * growth * hourShare) / total;
}

function draws(rng: Rng, expected: number): number {
  // Poisson-like without the cost: the whole part, plus one more with the fractional chance, jittered ±20 %.
  const jittered = expected * (0.8 + 0.4 * rng.next());
  return Math.floor(jittered) + (rng.chance(jittered - Math.floor(jittered)) ? 1 : 0);
}

export function planHistory(options: HistoryPlanOptions): PlannedAgent[] {
  const fleet = options.fleet ?? demoFleet({ now: options.now });
  const seed = options.seed ?? 20_261_125;
  const end = options.now.getTime();
  const firstHour = Math.floor((end - options.days * DAY_MS) / HOUR_MS) * HOUR_MS;
  const incident = incidentDay(options.now).getTime();
  return fleet.map((member) => {
    const rng = createRng(seedFrom(`${seed}:${member.agent}`));
    const events: PlannedAgent["events"] = [];
    let tasks = 0;
    for (let hourStart = firstHour; hourStart < end; hourStart += HOUR_MS) {
      const hour = new Date(hourStart);
      const count = draws(rng, expectedTasks(member, hour, options));
      const utcHour = hour.getUTCHours();
      const inIncident = member.agent === INCIDENT.agent && hourStart >= incident && hourStart < incident + DAY_MS && utcHour >= INCIDENT.fromHour && utcHour < INCIDENT.toHour;
      for (let n = 0; n < count; n++) {
        const taskEnd = Math.min(end - 1000, hourStart + Math.floor(rng.next() * HOUR_MS));
        const taskEvents = taskFor(rng, member, new Date(taskEnd), inIncident ? INCIDENT.errorRate : undefined);
        if (Date.parse(taskEvents[0]?.timestamp ?? "") < firstHour) continue;
        for (const event of taskEvents) {
          const stored = event as DraftEvent & { id: string };
          stored.id = `hist-${seed}-${events.length}`;
          events.push(stored);
        }
        tasks++;
      }
    }
    return { member, events, tasks };
  });
}
