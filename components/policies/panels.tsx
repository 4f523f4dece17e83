"use client";

import { skipToken, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC, type RouterInputs } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/feedback";
import { Field, FormError, Input, NamedSelect, Select } from "@/components/ui/form";
import { LocalTime } from "@/components/ui/local-time";
import { QueryBoundary, SkeletonRows } from "@/components/ui/query-boundary";
import { simulatePolicyInput } from "@/server/domain/policy/schemas";
import { ACTION_TYPES, type ActionType } from "@/server/domain/policy/vocabulary";
import { parseList } from "./editor-model";

export type DraftInput = NonNullable<RouterInputs["policies"]["simulate"]["draft"]>;

const DECISION_TONE = { allow: "good", deny: "bad", require_approval: "warn" } as const;
const DECISION_LABEL = { allow: "Allow", deny: "Deny", require_approval: "Require approval" } as const;

function parseArguments(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  if (!text.trim()) return { ok: true, value: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) return { ok: true, value: value as Record<string, unknown> };
    return { ok: false, message: 'Arguments must be a JSON object, e.g. {"amount": 250}' };
  } catch {
    return { ok: false, message: 'Not valid JSON, e.g. {"amount": 250}' };
  }
}

/** What would agent X doing Y get, and which policy decided: against the enforced set or this draft. */
export function SimulatePanel({ draft }: { draft: DraftInput | null }) {
  const org = useOrg();
  const trpc = useTRPC();
  const agents = useQuery(trpc.agents.list.queryOptions({ orgId: org.orgId }));
  const [agentId, setAgentId] = useState("");
  const [type, setType] = useState<ActionType>("tool");
  const [name, setName] = useState("");
  const [args, setArgs] = useState("");
  const [dataClasses, setDataClasses] = useState("");
  const [hour, setHour] = useState("");
  const [against, setAgainst] = useState<"enforced" | "draft">(draft ? "draft" : "enforced");
  const [submitted, setSubmitted] = useState<RouterInputs["policies"]["simulate"] | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const result = useQuery(trpc.policies.simulate.queryOptions(submitted ?? skipToken));

  const run = () => {
    const parsed = parseArguments(args);
    if (!parsed.ok) return setFormError(parsed.message);
    // The arguments box is JSON text; the rest is checked by the procedure's own input schema.
    const checked = simulatePolicyInput.safeParse({
      agentId,
      action: { type, name, arguments: parsed.value },
      dataClasses: parseList(dataClasses),
      hour: hour === "" ? null : Number(hour),
      ...(against === "draft" && draft ? { draft } : {}),
    });
    if (!checked.success) return setFormError(checked.error.issues[0]?.message ?? "Check the fields.");
    setFormError(null);
    setSubmitted({ orgId: org.orgId, ...checked.data });
  };

  return (
    <Card>
      <CardHeader title="Simulate" description="What would an agent get for an action, and which policy decided. Nothing is recorded." />
      <form
        className="grid gap-4 p-5 sm:grid-cols-3"
        onSubmit={(event) => {
          event.preventDefault();
          run();
        }}
      >
        <Field label="Agent" htmlFor="sim-agent">
          <NamedSelect id="sim-agent" value={agentId} onChange={setAgentId} items={agents.data ?? []} placeholder="Pick an agent…" />
        </Field>
        <Field label="Action type" htmlFor="sim-type">
          <Select id="sim-type" value={type} onChange={(event) => setType(event.target.value as ActionType)} options={ACTION_TYPES} />
        </Field>
        <Field label="Action name" htmlFor="sim-name">
          <Input id="sim-name" value={name} placeholder="issue_refund" onChange={(event) => setName(event.target.value)} />
        </Field>
        <Field label="Arguments (JSON)" htmlFor="sim-args">
          <Input id="sim-args" value={args} placeholder='{"amount": 250}' className="font-mono" onChange={(event) => setArgs(event.target.value)} />
        </Field>
        <Field label="Data classes touched" htmlFor="sim-data">
          <Input id="sim-data" value={dataClasses} placeholder="PCI, PII" onChange={(event) => setDataClasses(event.target.value)} />
        </Field>
        <Field label="Hour of day (UTC; empty: now)" htmlFor="sim-hour">
          <Input id="sim-hour" type="number" min={0} max={23} value={hour} onChange={(event) => setHour(event.target.value)} />
        </Field>
        <Field label="Against" htmlFor="sim-against">
          <Select id="sim-against" value={against} onChange={(event) => setAgainst(event.target.value as "enforced" | "draft")}>
            <option value="enforced">The enforced policies</option>
            <option value="draft" disabled={!draft}>
              The enforced policies with this draft
            </option>
          </Select>
        </Field>
        <div className="flex items-end sm:col-span-2">
          <Button type="submit">Simulate</Button>
        </div>
      </form>
      <div className="space-y-2 px-5 pb-5" aria-live="polite">
        <FormError message={formError} />
        {submitted ? (
          <QueryBoundary query={result} label="the simulation" loading={<SkeletonRows rows={2} />}>
            {(data) => (
              <div className="rounded-md bg-slate-50 p-4 text-sm" role="region" aria-label="Simulation result">
                <p>
                  Decision: <Badge tone={DECISION_TONE[data.decision]}>{DECISION_LABEL[data.decision]}</Badge>{" "}
                  <span className="text-slate-500">
                    against the {data.against === "draft" ? "draft" : "enforced"} set, at {data.hourUtc}:30 UTC; {data.weighedStatements} of {data.totalStatements} statements could apply
                  </span>
                </p>
                {data.effect === "no_match" ? <p className="mt-1">No policy matched: the organisation&apos;s default ({data.defaultDecision}) decides.</p> : null}
                {data.policies.length > 0 ? <p className="mt-1">Decided by: {data.policies.map((policy) => `${policy.name}${policy.isDraft ? " (draft)" : ""}`).join(", ")}</p> : null}
                <ul className="mt-1 list-disc pl-5 text-slate-600">
                  {data.reasons.map((reason, index) => (
                    <li key={index}>
                      <code>{reason.code}</code>: {reason.message}
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </QueryBoundary>
        ) : null}
      </div>
    </Card>
  );
}

/** Replays the last N recorded decisions against the enforced set and the draft; lists those that would change. */
export function ImpactPanel({ draft }: { draft: DraftInput | null }) {
  const org = useOrg();
  const trpc = useTRPC();
  const [limit, setLimit] = useState("500");
  const [submitted, setSubmitted] = useState<RouterInputs["policies"]["impact"] | null>(null);
  const result = useQuery(trpc.policies.impact.queryOptions(submitted ?? skipToken));
  const count = Math.min(5000, Math.max(1, Math.floor(Number(limit) || 500)));
  return (
    <Card>
      <CardHeader title="Impact" description="Replay recent recorded decisions against this draft before enforcing it. Arguments were redacted when recorded, so conditions on redacted values may differ." />
      <div className="flex flex-wrap items-end gap-3 p-5">
        <Field label="Decisions to replay" htmlFor="impact-limit">
          <Input id="impact-limit" type="number" min={1} max={5000} className="w-32" value={limit} onChange={(event) => setLimit(event.target.value)} />
        </Field>
        <Button variant="secondary" disabled={!draft} onClick={() => draft && setSubmitted({ orgId: org.orgId, limit: count, draft })}>
          Replay against the draft
        </Button>
        {!draft ? <p className="text-sm text-slate-500">Write a valid draft first.</p> : null}
      </div>
      <div className="px-5 pb-5" aria-live="polite">
        {submitted ? (
          <QueryBoundary query={result} label="the replay" loading={<SkeletonRows rows={3} />}>
            {(data) => (
              <div role="region" aria-label="Impact result" className="space-y-3 text-sm">
                <p>
                  {data.replayed} decisions replayed{data.skipped ? ` (${data.skipped} skipped: agents gone or out of your reach)` : ""}; <strong>{data.changedTotal}</strong> would change
                  {Object.keys(data.counts).length > 0
                    ? `: ${Object.entries(data.counts)
                        .map(([change, n]) => `${n} ${change.replace("→", " → ")}`)
                        .join(", ")}`
                    : "."}
                </p>
                {data.changed.length > 0 ? (
                  <table className="w-full text-left text-sm">
                    <caption className="sr-only">Decisions the draft would change</caption>
                    <thead className="text-xs uppercase text-slate-500">
                      <tr>
                        <th className="py-1 pr-3">When</th>
                        <th className="py-1 pr-3">Agent</th>
                        <th className="py-1 pr-3">Action</th>
                        <th className="py-1 pr-3">Now</th>
                        <th className="py-1 pr-3">With the draft</th>
                      </tr>
                    </thead>
                    <tbody className="divide-y divide-slate-100">
                      {data.changed.map((row) => (
                        <tr key={row.decisionId}>
                          <td className="py-1 pr-3">
                            <LocalTime value={row.at} />
                          </td>
                          <td className="py-1 pr-3">{row.agentName}</td>
                          <td className="py-1 pr-3">
                            {row.actionType} {row.actionName}
                          </td>
                          <td className="py-1 pr-3">
                            <Badge tone={DECISION_TONE[row.now]}>{DECISION_LABEL[row.now]}</Badge>
                          </td>
                          <td className="py-1 pr-3">
                            <Badge tone={DECISION_TONE[row.draft]}>{DECISION_LABEL[row.draft]}</Badge>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : null}
              </div>
            )}
          </QueryBoundary>
        ) : null}
      </div>
    </Card>
  );
}
