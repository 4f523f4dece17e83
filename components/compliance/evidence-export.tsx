"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Alert } from "@/components/ui/feedback";
import { Field, Input, NamedSelect, Select } from "@/components/ui/form";
import { evidenceRequestSchema } from "@/server/domain/compliance/schemas";

const DAY_MS = 86_400_000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

type Outcome = { tone: "good" | "warn" | "bad"; title: string; text: string } | null;

/** The evidence pack: a period and a scope in, a zip (or the printable page) out, with what the manifest says. */
export function EvidenceExportCard({ fixedAgent, compact = false }: { fixedAgent?: { id: string; name: string }; compact?: boolean }) {
  const org = useOrg();
  const trpc = useTRPC();
  const id = useId();
  const [scope, setScope] = useState<"org" | "team" | "agent">(fixedAgent ? "agent" : org.role === "team_lead" ? "team" : "org");
  const [target, setTarget] = useState(fixedAgent?.id ?? "");
  // Lazy initial state: the default period is the last 30 days up to and including today.
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - 30 * DAY_MS)));
  const [to, setTo] = useState(() => isoDay(new Date(Date.now() + DAY_MS)));
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const teams = useQuery({ ...trpc.teams.list.queryOptions({ orgId: org.orgId }), enabled: scope === "team" });
  const agents = useQuery({ ...trpc.agents.list.queryOptions({ orgId: org.orgId }), enabled: scope === "agent" && !fixedAgent });

  const request = { scope, ...(scope === "org" ? {} : { id: target || undefined }), from, to };
  const parsed = evidenceRequestSchema.safeParse(request);
  const error = parsed.success ? null : (parsed.error.issues[0]?.message ?? "Check the form");

  const url = (format: "zip" | "html") => {
    const params = new URLSearchParams({ scope, from: `${from}T00:00:00Z`, to: `${to}T00:00:00Z`, format });
    if (scope !== "org" && target) params.set("id", target);
    return `/api/orgs/${org.orgId}/compliance/evidence?${params.toString()}`;
  };

  const download = async (event: FormEvent) => {
    event.preventDefault();
    if (error) return;
    setBusy(true);
    setOutcome(null);
    try {
      const response = await fetch(url("zip"));
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string; code?: string } } | null;
        const empty = body?.error?.code === "empty_period";
        setOutcome({ tone: empty ? "warn" : "bad", title: empty ? "Nothing to export for this period" : "Not exported", text: body?.error?.message ?? `The server answered ${response.status}.` });
        return;
      }
      const blob = await response.blob();
      const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? "evidence.zip";
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      setOutcome({
        tone: "good",
        title: `Downloaded ${name}`,
        text: `Its manifest lists each file's SHA-256; the same hashes are in audit entry #${response.headers.get("X-Evidence-Export-Seq")} (hash ${response.headers.get("X-Evidence-Export-Hash")?.slice(0, 16)}…). Check them against an audit export verified with npm run audit:verify.`,
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card>
      <CardHeader
        title="Evidence pack"
        description={
          compact
            ? `${fixedAgent?.name ?? "This agent"}'s controls, evidence and audit entries with their hashes, as JSON, CSV, OSCAL and a printable page, with a SHA-256 manifest tied to the audit chain. Exporting is audited.`
            : "For an auditor: each control with its status, the evidence behind it and the audit entries (with their hashes) that prove it, as JSON, CSV, an OSCAL Assessment Results view and a printable page, with a manifest of SHA-256 hashes tied to the audit chain. Exporting is audited."
        }
      />
      <form className="space-y-4 px-5 py-4" onSubmit={download} noValidate aria-label="Export an evidence pack">
        <div className={compact ? "grid grid-cols-1 gap-4" : "grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4"}>
          {!fixedAgent ? (
            <Field label="Scope" htmlFor={`${id}-scope`}>
              <Select
                id={`${id}-scope`}
                value={scope}
                onChange={(event) => {
                  setScope(event.target.value as typeof scope);
                  setTarget("");
                }}
              >
                {org.role !== "team_lead" ? <option value="org">Whole organisation</option> : null}
                <option value="team">One team</option>
                <option value="agent">One agent</option>
              </Select>
            </Field>
          ) : null}
          {scope === "team" && !fixedAgent ? (
            <Field label="Team" htmlFor={`${id}-team`}>
              <NamedSelect id={`${id}-team`} value={target} onChange={setTarget} items={teams.data ?? []} placeholder="Choose a team…" />
            </Field>
          ) : null}
          {scope === "agent" && !fixedAgent ? (
            <Field label="Agent" htmlFor={`${id}-agent`}>
              <NamedSelect id={`${id}-agent`} value={target} onChange={setTarget} items={agents.data ?? []} placeholder="Choose an agent…" />
            </Field>
          ) : null}
          <Field label="From (UTC day)" htmlFor={`${id}-from`}>
            <Input id={`${id}-from`} type="date" value={from} onChange={(event) => setFrom(event.target.value)} />
          </Field>
          <Field label="Until (UTC day, not included)" htmlFor={`${id}-to`} error={error}>
            <Input id={`${id}-to`} type="date" value={to} onChange={(event) => setTo(event.target.value)} aria-invalid={Boolean(error)} />
          </Field>
        </div>
        {outcome ? (
          <Alert tone={outcome.tone} title={outcome.title}>
            {outcome.text}
          </Alert>
        ) : null}
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={busy || Boolean(error)} aria-busy={busy}>
            {busy ? "Preparing…" : "Download evidence pack (.zip)"}
          </Button>
          <a
            href={error ? undefined : url("html")}
            target="_blank"
            rel="noreferrer"
            aria-disabled={Boolean(error)}
            className="inline-flex h-9 items-center rounded-md px-4 text-sm font-medium text-slate-800 ring-1 ring-slate-300 ring-inset hover:bg-slate-50 aria-disabled:pointer-events-none aria-disabled:text-slate-400"
          >
            Open printable page
          </a>
        </div>
      </form>
    </Card>
  );
}
