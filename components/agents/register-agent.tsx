"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { Dialog } from "@/components/ui/dialog";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Alert } from "@/components/ui/feedback";
import { Field, Input } from "@/components/ui/form";
import { parseCardInput } from "@/server/domain/agents/schemas";
import { AgentForm, EMPTY_AGENT_FORM, type AgentFormValues, type ImportedCard } from "./agent-form";

type Tab = "form" | "card";

/** "Register agent": the form, or an A2A Agent Card read into the form for review before saving. */
export function RegisterAgentDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} size="lg" title="Register agent" description="Add an agent to the registry by hand, or from the A2A Agent Card it publishes.">
      <RegisterAgent onClose={onClose} />
    </Dialog>
  );
}

function RegisterAgent({ onClose }: { onClose: () => void }) {
  const org = useOrg();
  const router = useRouter();
  const [tab, setTab] = useState<Tab>("form");
  // Each import remounts the form with the card's values.
  const [imported, setImported] = useState<{ values: AgentFormValues; card: ImportedCard; version: number } | null>(null);

  const tabs: { id: Tab; label: string }[] = [
    { id: "form", label: imported ? "Review and save" : "Fill in the form" },
    { id: "card", label: "Import from A2A Agent Card" },
  ];

  return (
    <>
      <div role="tablist" aria-label="How to register" className="mb-5 flex gap-1 border-b border-slate-200">
        {tabs.map((item) => (
          <button
            key={item.id}
            type="button"
            role="tab"
            id={`register-tab-${item.id}`}
            aria-selected={tab === item.id}
            aria-controls={`register-panel-${item.id}`}
            onClick={() => setTab(item.id)}
            className={cn("-mb-px border-b-2 px-3 py-2 text-sm font-medium", tab === item.id ? "border-brand-600 text-brand-700" : "border-transparent text-slate-500 hover:text-slate-800")}
          >
            {item.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`register-panel-${tab}`} aria-labelledby={`register-tab-${tab}`}>
        {tab === "form" ? (
          <AgentForm
            key={imported?.version ?? 0}
            initial={imported?.values ?? EMPTY_AGENT_FORM}
            mode={{ kind: "create", ...(imported ? { card: imported.card } : {}) }}
            onCancel={onClose}
            onSaved={(agent) => {
              onClose();
              router.push(`/${org.slug}/agents/${agent.id}`);
            }}
            notice={
              imported ? (
                <Alert tone="info" title="Read from the agent's card">
                  Name, description, version and the skills (as tools and tags) come from the card
                  {imported.card.provider?.organization ? ` published by ${imported.card.provider.organization.replace(/\.$/, "")}` : ""}. Choose its team and owner, check the rest, then register it. Nothing is
                  saved until you do.
                </Alert>
              ) : null
            }
          />
        ) : (
          <ImportCard
            onRead={(values, card) => {
              setImported((current) => ({ values, card, version: (current?.version ?? 0) + 1 }));
              setTab("form");
            }}
          />
        )}
      </div>
    </>
  );
}

function ImportCard({ onRead }: { onRead: (values: AgentFormValues, card: ImportedCard) => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const id = useId();
  const [source, setSource] = useState<"json" | "url">("json");
  const [json, setJson] = useState("");
  const [url, setUrl] = useState("");
  const [clientError, setClientError] = useState<string | null>(null);
  const parse = useMutation(
    trpc.agents.parseCard.mutationOptions({
      onSuccess: (fields) =>
        onRead(
          {
            ...EMPTY_AGENT_FORM,
            name: fields.name,
            description: fields.description,
            version: fields.version ?? "",
            framework: fields.framework ?? "",
            tools: fields.tools,
            tags: fields.tags,
          },
          fields.card,
        ),
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    setClientError(null);
    // The two kinds of input parseCard takes, each checked by its own branch of the procedure's schema.
    const [byJson, byUrl] = parseCardInput.options;
    const checked = source === "json" ? byJson.safeParse({ json }) : byUrl.safeParse({ url: url.trim() });
    if (!checked.success) return setClientError(checked.error.issues[0]?.message ?? "Check the card");
    parse.mutate({ orgId: org.orgId, ...checked.data });
  }

  const error = clientError ?? (parse.error ? parse.error.message : null);

  return (
    <form onSubmit={submit} noValidate aria-label="Import from A2A Agent Card" className="space-y-4">
      <p className="text-sm text-slate-600">
        An A2A agent describes itself in an Agent Card at <code className="font-mono text-xs">/.well-known/agent-card.json</code> (older agents:{" "}
        <code className="font-mono text-xs">/.well-known/agent.json</code>). Its name, description, version, provider and skills fill in the form for you to review.
      </p>
      <fieldset className="flex gap-5 text-sm">
        <legend className="sr-only">Where the card comes from</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name={`${id}-source`} checked={source === "json"} onChange={() => setSource("json")} />
          Paste the card&apos;s JSON
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name={`${id}-source`} checked={source === "url"} onChange={() => setSource("url")} />
          Fetch it from the agent&apos;s URL
        </label>
      </fieldset>
      {source === "json" ? (
        <Field label="Agent Card JSON" htmlFor={`${id}-json`} error={error}>
          <textarea
            id={`${id}-json`}
            value={json}
            onChange={(event) => {
              setJson(event.target.value);
              setClientError(null);
              parse.reset();
            }}
            rows={10}
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-json-error` : undefined}
            placeholder={
              '{\n  "name": "Travel Planner",\n  "description": "…",\n  "version": "1.2.0",\n  "provider": { "organization": "Acme" },\n  "skills": [{ "id": "book_flight", "name": "Book a flight", "tags": ["travel"] }]\n}'
            }
            className="block w-full rounded-md border-0 px-3 py-2 font-mono text-xs text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset placeholder:text-slate-400 focus:ring-2 focus:ring-brand-500 focus:ring-inset"
          />
        </Field>
      ) : (
        <Field label="Agent URL or card URL" htmlFor={`${id}-url`} error={error} hint="For https://agent.example.com, both well-known paths are tried.">
          <Input
            id={`${id}-url`}
            type="url"
            value={url}
            onChange={(event) => {
              setUrl(event.target.value);
              setClientError(null);
              parse.reset();
            }}
            placeholder="https://agent.example.com"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-url-error` : undefined}
          />
        </Field>
      )}
      <div className="flex justify-end">
        <Button type="submit" disabled={parse.isPending} aria-busy={parse.isPending}>
          {parse.isPending ? "Reading…" : "Read card"}
        </Button>
      </div>
    </form>
  );
}
