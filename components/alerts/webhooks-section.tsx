"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC, type RouterOutputs } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Alert, Badge, EmptyState, errorMessage } from "@/components/ui/feedback";
import { CheckboxGroup, Field, Input } from "@/components/ui/form";
import { useFormCheck } from "@/components/ui/form-check";
import { LocalTime } from "@/components/ui/local-time";
import { LoadingCard, QueryBoundary } from "@/components/ui/query-boundary";
import { TableHead } from "@/components/ui/data-table";
import { createWebhookInput } from "@/server/domain/alerts/schemas";
import { ALERT_KINDS, type AlertKind } from "@/server/domain/alerts/kinds";
import { deliveryStatus, KIND_LABEL, kindLabel, kindsSummary } from "./present";

/** Deliveries change in the background (the worker sends and retries): keep the list fresh. */
const REFRESH_MS = 5_000;

const VERIFY_SNIPPET = `// Node: verify X-Agentry-Signature ("t=<unix>,v1=<hex>") over the raw body
const [t, v1] = header.split(",").map((part) => part.slice(part.indexOf("=") + 1));
const expected = crypto.createHmac("sha256", secret).update(\`\${t}.\${rawBody}\`).digest("hex");
const ok = crypto.timingSafeEqual(Buffer.from(v1, "hex"), Buffer.from(expected, "hex"))
  && Math.abs(Date.now() / 1000 - Number(t)) < 300;`;

/** Settings → Webhooks (admins): where alerts are sent, signed, and how each delivery went. */
export function WebhooksSection() {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const hooks = useQuery({ ...trpc.alerts.webhooks.list.queryOptions({ orgId: org.orgId }), refetchInterval: REFRESH_MS });
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.alerts.webhooks.list.queryKey({ orgId: org.orgId }) });

  return (
    <div className="space-y-6">
      <Card>
        <CardHeader
          title="Webhooks"
          description={
            <>
              Every alert (budget thresholds, exhausted budgets, loops stopped, kill switches) is POSTed as JSON to these URLs. The body has a one-line <code className="font-mono text-xs">text</code> field, so
              a Slack incoming webhook shows it as is. Each request is signed: header <code className="font-mono text-xs">X-Agentry-Signature: t=&lt;unix time&gt;,v1=&lt;hex HMAC-SHA256 of t.body&gt;</code>.
              Failed deliveries are retried after about 10 s, 30 s, 2 min, 10 min and 1 h, then given up.
            </>
          }
        />
        <div className="border-b border-slate-200 bg-slate-50/60 px-5 py-4">
          {created ? (
            <SecretOnce created={created} onDone={() => setCreated(null)} />
          ) : (
            <NewWebhookForm
              onCreated={async (result) => {
                setCreated(result);
                await invalidate();
              }}
            />
          )}
        </div>
        <details className="px-5 py-3 text-sm text-slate-600">
          <summary className="cursor-pointer font-medium text-slate-700">How to verify the signature</summary>
          <pre className="mt-2 overflow-x-auto rounded bg-slate-900 p-3 font-mono text-xs text-slate-100">{VERIFY_SNIPPET}</pre>
          <p className="mt-2">The secret is shown once, when the webhook is added; it is not stored, so it cannot be shown again. To rotate it, delete the webhook and add it again.</p>
        </details>
      </Card>

      <QueryBoundary
        query={hooks}
        label="webhooks"
        loading={<LoadingCard rows={2} className="h-12" />}
        empty={
          <Card>
            <EmptyState title="No webhooks yet">Add a URL above to receive alerts in Slack, a pager or your own service.</EmptyState>
          </Card>
        }
      >
        {(data) => data.map((hook) => <WebhookCard key={hook.id} hook={hook} onChanged={invalidate} />)}
      </QueryBoundary>
    </div>
  );
}

function NewWebhookForm({ onCreated }: { onCreated: (created: { url: string; secret: string }) => Promise<void> }) {
  const org = useOrg();
  const trpc = useTRPC();
  const urlId = useId();
  const [url, setUrl] = useState("");
  const [kinds, setKinds] = useState<AlertKind[]>([]);
  const create = useMutation(trpc.alerts.webhooks.create.mutationOptions({ onSuccess: (result) => onCreated({ url: result.url, secret: result.secret }) }));
  const check = useFormCheck(createWebhookInput, { url, kinds }, create.error);
  const urlError = check.errors.url ?? check.formError;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    check.submit((input) => create.mutate({ orgId: org.orgId, ...input }));
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-3" aria-label="New webhook">
      <div className="max-w-xl">
        <Field label="Webhook URL" htmlFor={urlId} error={urlError}>
          <Input
            id={urlId}
            type="url"
            placeholder="https://hooks.slack.com/services/…"
            value={url}
            onChange={(event) => setUrl(event.target.value)}
            aria-invalid={urlError ? true : undefined}
            aria-describedby={urlError ? `${urlId}-error` : undefined}
          />
        </Field>
      </div>
      <CheckboxGroup legend="Alerts to send (none ticked: all of them)" options={ALERT_KINDS.map((kind) => ({ value: kind, label: KIND_LABEL[kind] }))} selected={kinds} onChange={setKinds} />
      <Button type="submit" disabled={create.isPending}>
        {create.isPending ? "Adding…" : "Add webhook"}
      </Button>
    </form>
  );
}

function SecretOnce({ created, onDone }: { created: { url: string; secret: string }; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="space-y-3">
      <Alert tone="warn" title="Copy the signing secret now">
        This is the only time it is shown. Your receiver at {created.url} needs it to verify that requests come from Agentry.
      </Alert>
      <div className="flex flex-wrap items-center gap-2">
        <code aria-label="Signing secret" className="rounded bg-white px-2 py-1 font-mono text-sm ring-1 ring-slate-300 select-all">
          {created.secret}
        </code>
        <Button
          variant="secondary"
          size="sm"
          onClick={() => {
            void navigator.clipboard?.writeText(created.secret).then(() => setCopied(true));
          }}
        >
          {copied ? "Copied" : "Copy secret"}
        </Button>
        <Button size="sm" onClick={onDone}>
          I have stored it
        </Button>
      </div>
    </div>
  );
}

type HookView = RouterOutputs["alerts"]["webhooks"]["list"][number];

function WebhookCard({ hook, onChanged }: { hook: HookView; onChanged: () => Promise<void> }) {
  const org = useOrg();
  const trpc = useTRPC();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const options = { onSuccess: () => onChanged() };
  const test = useMutation(trpc.alerts.webhooks.test.mutationOptions(options));
  const toggle = useMutation(trpc.alerts.webhooks.setEnabled.mutationOptions(options));
  const remove = useMutation(trpc.alerts.webhooks.delete.mutationOptions(options));
  const error = test.error ?? toggle.error ?? remove.error;
  const headingId = `webhook-${hook.id}`;

  return (
    <Card>
      <section aria-labelledby={headingId}>
        <div className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-200 px-5 py-4">
          <div className="min-w-0">
            <h3 id={headingId} className="font-mono text-sm break-all text-slate-900">
              {hook.url}
            </h3>
            <p className="mt-1 text-xs text-slate-500">
              {kindsSummary(hook.kinds)} · added by {hook.createdBy ?? "unknown"} <LocalTime value={hook.createdAt} />
            </p>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={hook.enabled ? "good" : "neutral"}>{hook.enabled ? "Enabled" : "Disabled"}</Badge>
            <Button size="sm" variant="secondary" disabled={!hook.enabled || test.isPending} onClick={() => test.mutate({ orgId: org.orgId, webhookId: hook.id })} aria-label={`Send test to ${hook.url}`}>
              {test.isPending ? "Queuing…" : "Send test"}
            </Button>
            <Button
              size="sm"
              variant="secondary"
              disabled={toggle.isPending}
              onClick={() => toggle.mutate({ orgId: org.orgId, webhookId: hook.id, enabled: !hook.enabled })}
              aria-label={`${hook.enabled ? "Disable" : "Enable"} ${hook.url}`}
            >
              {hook.enabled ? "Disable" : "Enable"}
            </Button>
            {confirmDelete ? (
              <>
                <Button size="sm" variant="danger" disabled={remove.isPending} onClick={() => remove.mutate({ orgId: org.orgId, webhookId: hook.id })} aria-label={`Confirm delete ${hook.url}`}>
                  {remove.isPending ? "Deleting…" : "Delete for good"}
                </Button>
                <Button size="sm" variant="ghost" onClick={() => setConfirmDelete(false)}>
                  Keep
                </Button>
              </>
            ) : (
              <Button size="sm" variant="ghost" onClick={() => setConfirmDelete(true)} aria-label={`Delete ${hook.url}`}>
                Delete
              </Button>
            )}
          </div>
        </div>
        {error ? (
          <div className="px-5 pt-3">
            <Alert tone="bad" title="That did not work">
              {errorMessage(error)}
            </Alert>
          </div>
        ) : test.isSuccess ? (
          <div className="px-5 pt-3">
            <Alert tone="good" title="Test delivery queued">
              It is sent within a few seconds; its status appears below.
            </Alert>
          </div>
        ) : null}
        {hook.deliveries.length === 0 ? (
          <p className="px-5 py-4 text-sm text-slate-500">No deliveries yet.</p>
        ) : (
          <div className="overflow-x-auto px-5 py-3">
            <table className="min-w-full text-sm">
              <caption className="sr-only">Recent deliveries to {hook.url}</caption>
              <TableHead dense headers={["Queued", "Alert", "Status", "Details"]} />
              <tbody className="divide-y divide-slate-100">
                {hook.deliveries.map((delivery) => {
                  const state = deliveryStatus(delivery);
                  return (
                    <tr key={delivery.id}>
                      <td className="py-2 pr-4 whitespace-nowrap">
                        <LocalTime value={delivery.createdAt} />
                      </td>
                      <td className="py-2 pr-4">
                        <span className="text-slate-900">{delivery.alertTitle ?? "—"}</span>
                        {delivery.alertKind ? <span className="ml-1 text-xs text-slate-500">({kindLabel(delivery.alertKind)})</span> : null}
                      </td>
                      <td className="py-2 pr-4">
                        <Badge tone={state.tone}>{state.label}</Badge>
                      </td>
                      <td className="py-2 text-xs text-slate-600">
                        {delivery.deliveredAt ? (
                          <>
                            Delivered <LocalTime value={delivery.deliveredAt} />
                          </>
                        ) : delivery.status === "pending" && delivery.attempts > 0 ? (
                          <>
                            Next attempt <LocalTime value={delivery.nextAttemptAt} />
                          </>
                        ) : null}
                        {delivery.lastError ? (
                          <p className="max-w-md truncate" title={delivery.lastError}>
                            {delivery.lastError}
                          </p>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </Card>
  );
}
