"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Alert, Badge, errorMessage } from "@/components/ui/feedback";
import { LocalTime } from "@/components/ui/local-time";
import { cn } from "@/components/ui/cn";
import { decideApprovalInput } from "@/server/domain/approvals/schemas";
import { argumentLines, isUrgent, timeLeft } from "./present";
import { useNow } from "@/components/ui/use-now";

export type ApprovalItem = RouterOutputs["approvals"]["list"]["items"][number];

export interface Outcome {
  id: string;
  tone: "good" | "bad";
  title: string;
  message?: string;
}

/** One pending request: who asks to do what, with which arguments, why, until when; approve or deny with a note. */
export function ApprovalRequest({ item, onOutcome }: { item: ApprovalItem; onOutcome: (outcome: Outcome) => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const noteId = useId();
  const headingId = useId();
  const [note, setNote] = useState("");
  const now = useNow();
  const what = `${item.agent.name}'s request to ${ACTION_VERB[item.action.type] ?? item.action.type} ${item.action.name}`;
  // The outcome is reported to the page: a refused request (expired, decided by someone else)
  // leaves the queue when it reloads, and the reason must outlive its card.
  const decide = useMutation(
    trpc.approvals.decide.mutationOptions({
      onSuccess: (result) => onOutcome({ id: item.id, tone: "good", title: `${result.status === "approved" ? "Approved" : "Denied"} ${what}` }),
      onError: (error) => onOutcome({ id: item.id, tone: "bad", title: `Could not decide ${what}`, message: errorMessage(error) }),
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.approvals.pathKey() }),
    }),
  );
  const expiredHere = now !== null && now.getTime() >= new Date(item.expiresAt).getTime();
  const urgent = now !== null && isUrgent(item.requestedAt, item.expiresAt, now);
  const submit = (decision: "approve" | "deny") => {
    const checked = decideApprovalInput.safeParse({ approvalId: item.id, decision, ...(note.trim() ? { note } : {}) });
    if (checked.success) decide.mutate({ orgId: org.orgId, ...checked.data });
    else onOutcome({ id: item.id, tone: "bad", title: `Could not decide ${what}`, message: checked.error.issues[0]?.message });
  };
  const args = argumentLines(item.action.arguments);

  return (
    <Card className="p-0">
      <article aria-labelledby={headingId} className="grid gap-4 px-5 py-4 lg:grid-cols-[1fr_18rem]">
        <div className="min-w-0 space-y-3">
          <div className="flex flex-wrap items-center gap-2">
            <h3 id={headingId} className="text-base font-semibold text-slate-900">
              <span className="text-brand-700">{item.agent.name}</span> wants to {ACTION_VERB[item.action.type] ?? `use ${item.action.type}`}{" "}
              <code className="rounded bg-slate-100 px-1.5 py-0.5 text-sm">{item.action.name}</code>
            </h3>
            {item.team ? <Badge>{item.team.name}</Badge> : <Badge>No team</Badge>}
          </div>

          <div>
            <p className="text-xs font-medium tracking-wide text-slate-500 uppercase">Arguments</p>
            {args.length === 0 ? (
              <p className="text-sm text-slate-500">None</p>
            ) : (
              <dl aria-label="Arguments" className="mt-1 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 font-mono text-sm">
                {args.map((line) => (
                  <div key={line.name} className="contents">
                    <dt className="text-slate-500">{line.name}</dt>
                    <dd className="break-all text-slate-900">{line.value}</dd>
                  </div>
                ))}
              </dl>
            )}
            <p className="mt-1 text-xs text-slate-500">Sensitive values were redacted before they were stored.</p>
          </div>

          <div>
            <p className="text-xs font-medium tracking-wide text-slate-500 uppercase">Why it needs approval</p>
            <p className="text-sm text-slate-800">{item.reason || "A policy requires a person to approve this action."}</p>
            {item.policies.length > 0 ? (
              <p className="mt-1 text-sm text-slate-600">
                Policy:{" "}
                {item.policies.map((policy, index) => (
                  <span key={policy.id}>
                    {index > 0 ? ", " : null}
                    <Link href={`/${org.slug}/policies?policy=${policy.id}`} className="font-medium text-brand-700 hover:underline">
                      {policy.name ?? `a deleted policy (${policy.id.slice(0, 8)})`}
                    </Link>
                  </span>
                ))}
              </p>
            ) : null}
          </div>

          <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
            <div>
              <dt className="inline text-slate-500">Requested </dt>
              <dd className="inline text-slate-800">
                <LocalTime value={item.requestedAt} />
              </dd>
            </div>
            <div>
              <dt className="inline text-slate-500">Expires </dt>
              <dd className="inline text-slate-800">
                <LocalTime value={item.expiresAt} />{" "}
                {now ? <span className={cn("font-medium", expiredHere ? "text-red-700" : urgent ? "text-amber-700" : "text-slate-600")}>({timeLeft(item.expiresAt, now)})</span> : null}
              </dd>
            </div>
          </dl>
        </div>

        <div className="space-y-3 lg:border-l lg:border-slate-200 lg:pl-5">
          {expiredHere ? (
            <Alert tone="warn" title="This request has expired">
              It can no longer be approved or denied; the agent has to ask again.
            </Alert>
          ) : (
            <>
              <div className="space-y-1.5">
                <label htmlFor={noteId} className="block text-sm font-medium text-slate-700">
                  Note <span className="font-normal text-slate-500">(optional, recorded in the audit log)</span>
                </label>
                <textarea
                  id={noteId}
                  value={note}
                  maxLength={1000}
                  rows={3}
                  onChange={(event) => setNote(event.target.value)}
                  className="block w-full rounded-md border-0 px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-500 focus:ring-inset"
                />
              </div>
              <div className="flex gap-2">
                <Button onClick={() => submit("approve")} disabled={decide.isPending}>
                  Approve
                </Button>
                <Button variant="danger" onClick={() => submit("deny")} disabled={decide.isPending}>
                  Deny
                </Button>
              </div>
            </>
          )}
        </div>
      </article>
    </Card>
  );
}

const ACTION_VERB: Record<string, string> = {
  tool: "call tool",
  model: "use model",
  data: "access data class",
  delegate: "delegate to",
  spend: "spend on",
};
