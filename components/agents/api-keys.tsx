"use client";

import { useId, useState, type FormEvent } from "react";
import { Dialog } from "@/components/ui/dialog";
import type { RouterOutputs } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Alert, Badge, EmptyState } from "@/components/ui/feedback";
import { Field, Input } from "@/components/ui/form";
import { formLevelMessage, serverFieldErrors } from "@/components/ui/form-check";
import { LocalTime } from "@/components/ui/local-time";

// The pieces both kinds of API key share: the agent page's agent keys and Settings' org ingest keys.

export type ApiKeyRow = RouterOutputs["keys"]["ingest"][number];

export function ApiKeyTable({ keys, caption, onRevoke, empty }: { keys: ApiKeyRow[]; caption: string; onRevoke?: (key: ApiKeyRow) => void; empty: string }) {
  const columns: Column<ApiKeyRow>[] = [
    { key: "name", header: "Name", sortValue: (key) => key.name, render: (key) => <span className="font-medium text-slate-900">{key.name}</span> },
    { key: "prefix", header: "Key", sortValue: (key) => key.prefix, render: (key) => <code className="font-mono text-xs text-slate-700">{key.prefix}…</code> },
    {
      key: "created",
      header: "Created",
      sortValue: (key) => new Date(key.createdAt).getTime(),
      render: (key) => (
        <span className="text-slate-700">
          <LocalTime value={key.createdAt} />
          {key.createdBy ? <span className="block text-xs text-slate-500">by {key.createdBy}</span> : null}
        </span>
      ),
    },
    {
      key: "used",
      header: "Last used",
      sortValue: (key) => (key.lastUsedAt ? new Date(key.lastUsedAt).getTime() : null),
      render: (key) => (key.lastUsedAt ? <LocalTime value={key.lastUsedAt} style="relative" /> : <span className="text-slate-400">Never</span>),
    },
    {
      key: "state",
      header: "State",
      sortValue: (key) => (key.revokedAt ? 1 : 0),
      render: (key) =>
        key.revokedAt ? (
          <span className="text-xs text-slate-500">
            <Badge tone="neutral">Revoked</Badge> <LocalTime value={key.revokedAt} />
          </span>
        ) : (
          <Badge tone="good">Active</Badge>
        ),
    },
  ];
  if (onRevoke) {
    columns.push({
      key: "actions",
      header: "Actions",
      className: "text-right",
      render: (key) =>
        key.revokedAt ? null : (
          <Button variant="secondary" size="sm" className="-my-1" aria-label={`Revoke key ${key.name} (${key.prefix}…)`} onClick={() => onRevoke(key)}>
            Revoke
          </Button>
        ),
    });
  }
  return <DataTable rows={keys} columns={columns} rowKey={(key) => key.id} caption={caption} empty={<EmptyState title={empty} />} />;
}

/** Remount it (key) after a key was created, to start empty again. `check` is the procedure's own input schema. */
export function NewKeyForm({
  label,
  placeholder,
  check,
  pending,
  error,
  onCreate,
}: {
  label: string;
  placeholder: string;
  check: (name: string) => { success: boolean; error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
  pending: boolean;
  error: unknown;
  onCreate: (name: string) => void;
}) {
  const id = useId();
  const [name, setName] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const checked = check(name);
  const clientError = submitted && !checked.success ? (checked.error?.issues[0]?.message ?? "Check the name") : null;
  const shown = clientError ?? serverFieldErrors<"name">(error).name ?? formLevelMessage(error);

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (checked.success) onCreate(name.trim());
  }

  return (
    <form onSubmit={submit} noValidate className="flex flex-wrap items-start gap-3">
      <div className="w-full max-w-sm">
        <Field label={label} htmlFor={`${id}-name`} error={shown}>
          <Input
            id={`${id}-name`}
            value={name}
            maxLength={100}
            placeholder={placeholder}
            onChange={(event) => setName(event.target.value)}
            aria-invalid={shown ? true : undefined}
            aria-describedby={shown ? `${id}-name-error` : undefined}
          />
        </Field>
      </div>
      <Button type="submit" className="mt-7" disabled={pending} aria-busy={pending}>
        {pending ? "Creating…" : "Create key"}
      </Button>
    </form>
  );
}

/** The example request that proves a new key works. */
export function exampleCurl(key: string, agentName: string | null): string {
  const origin = typeof window === "undefined" ? "http://localhost:3000" : window.location.origin;
  const event = {
    id: "evt-1",
    type: "llm_call",
    timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    ...(agentName ? { agent: agentName } : {}),
    model: "gpt-5-mini",
    inputTokens: 1200,
    outputTokens: 300,
    latencyMs: 850,
  };
  return [`curl -X POST ${origin}/api/v1/events \\`, `  -H "authorization: Bearer ${key}" \\`, `  -H "content-type: application/json" \\`, `  -d '${JSON.stringify({ events: [event] }, null, 2)}'`].join("\n");
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  return (
    <Button
      variant="secondary"
      size="sm"
      aria-label={label}
      onClick={() => {
        navigator.clipboard.writeText(text).then(
          () => setCopied("yes"),
          () => setCopied("failed"),
        );
      }}
    >
      <span aria-live="polite">{copied === "yes" ? "Copied" : copied === "failed" ? "Select and copy it" : "Copy"}</span>
    </Button>
  );
}

/** The secret, shown this once, with a copy button and a request to try it with. */
export function SecretOnce({ secret, name, curl, onDone }: { secret: string; name: string; curl: string; onDone: () => void }) {
  return (
    <div className="space-y-3">
      <Alert tone="warn" title={`Copy the key “${name}” now: it is shown only once`}>
        Agentry keeps only a hash of it. If it is lost, revoke it and create another.
      </Alert>
      <div className="flex items-center gap-2">
        <label className="sr-only" htmlFor="new-key-secret">
          New key
        </label>
        <input
          id="new-key-secret"
          readOnly
          value={secret}
          onFocus={(event) => event.target.select()}
          className="block w-full rounded-md border-0 bg-slate-50 px-3 py-2 font-mono text-sm text-slate-900 ring-1 ring-slate-300 ring-inset"
        />
        <CopyButton text={secret} label="Copy the key" />
      </div>
      <div>
        <div className="mb-1 flex items-center justify-between">
          <p className="text-sm font-medium text-slate-700">Try it</p>
          <CopyButton text={curl} label="Copy the example request" />
        </div>
        <pre className="overflow-x-auto rounded-md bg-slate-900 px-4 py-3 font-mono text-xs leading-relaxed text-slate-100">{curl}</pre>
      </div>
      <div className="flex justify-end">
        <Button onClick={onDone}>I have copied it</Button>
      </div>
    </div>
  );
}

export function RevokeKeyDialog({
  keyRow,
  onClose,
  onConfirm,
  pending,
  error,
  consequence,
}: {
  keyRow: ApiKeyRow | null;
  onClose: () => void;
  onConfirm: (key: ApiKeyRow) => void;
  pending: boolean;
  error: string | null;
  consequence: string;
}) {
  return (
    <Dialog open={keyRow !== null} onClose={onClose} size="sm" title={keyRow ? `Revoke “${keyRow.name}”?` : "Revoke key"}>
      {keyRow ? (
        <div className="space-y-4">
          <p className="text-sm text-slate-600">
            The key <code className="font-mono text-xs">{keyRow.prefix}…</code> stops working at once: {consequence} This cannot be undone.
          </p>
          {error ? (
            <Alert tone="bad" title="Not revoked">
              {error}
            </Alert>
          ) : null}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button variant="danger" disabled={pending} aria-busy={pending} onClick={() => onConfirm(keyRow)}>
              {pending ? "Revoking…" : "Revoke key"}
            </Button>
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}
