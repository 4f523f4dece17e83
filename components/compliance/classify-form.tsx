"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useMemo, useState, type FormEvent } from "react";
import { useOrg } from "@/components/shell/org-context";
import { useTRPC } from "@/components/trpc/react";
import { Badge, errorMessage } from "@/components/ui/feedback";
import { Field, FormButtons, FormError, Select } from "@/components/ui/form";
import { DATA_CATEGORIES, type DataCategory } from "@/server/domain/agents/agent-fields";
import { ANNEX_AREAS, ANNEX_I_AREA, PROHIBITED_PRACTICES, RISK_CLASSES, RISK_CLASS_LABELS, type AnnexArea, type RiskClass } from "@/server/domain/compliance/catalogue";
import { suggestRiskClass } from "@/server/domain/compliance/questionnaire";
import { classificationSchema, EMPTY_QUESTIONNAIRE, type QuestionnaireAnswers } from "@/server/domain/compliance/schemas";

export interface ClassificationValues {
  riskClass: RiskClass | null;
  annexArea: string | null;
  reason: string | null;
  dataCategories: string[];
  questionnaire: QuestionnaireAnswers | null;
}

function Check({ label, hint, checked, onChange }: { label: string; hint?: string; checked: boolean; onChange: (value: boolean) => void }) {
  return (
    <label className="flex items-start gap-2 text-sm text-slate-700">
      <input type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-300" />
      <span>
        {label}
        {hint ? <span className="block text-xs text-slate-500">{hint}</span> : null}
      </span>
    </label>
  );
}

const toggle = <T,>(list: readonly T[], item: T, on: boolean): T[] => (on ? [...new Set([...list, item])] : list.filter((value) => value !== item));

/** The Annex III questionnaire, the suggestion with its reasoning, and the officer's decision with a reason. */
export function ClassifyForm({ agent, initial, onDone }: { agent: { id: string; name: string }; initial: ClassificationValues; onDone: () => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [answers, setAnswers] = useState<QuestionnaireAnswers>(initial.questionnaire ?? EMPTY_QUESTIONNAIRE);
  const suggestion = useMemo(() => suggestRiskClass(answers), [answers]);
  const [riskClass, setRiskClass] = useState<RiskClass | "">(initial.riskClass ?? "");
  const [annexArea, setAnnexArea] = useState<string>(initial.annexArea ?? "");
  const [reason, setReason] = useState("");
  const [categories, setCategories] = useState<DataCategory[]>(initial.dataCategories.filter((value): value is DataCategory => (DATA_CATEGORIES as readonly string[]).includes(value)));
  const [submitted, setSubmitted] = useState(false);
  const classify = useMutation(
    trpc.compliance.classify.mutationOptions({
      onSuccess: async () => {
        await Promise.all([queryClient.invalidateQueries({ queryKey: trpc.compliance.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.agents.pathKey() })]);
        onDone();
      },
    }),
  );
  const chosen = riskClass || suggestion.riskClass;
  const input = { agentId: agent.id, riskClass: chosen, annexArea: chosen === "high" ? annexArea || suggestion.annexArea || null : null, reason, dataCategories: categories, questionnaire: answers };
  const parsed = classificationSchema.safeParse(input);
  const reasonError = submitted && !parsed.success ? (parsed.error.issues.find((issue) => issue.path[0] === "reason")?.message ?? null) : null;
  const set = <K extends keyof QuestionnaireAnswers>(key: K, value: QuestionnaireAnswers[K]) => setAnswers((current) => ({ ...current, [key]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (parsed.success) classify.mutate({ orgId: org.orgId, ...input, annexArea: input.annexArea as AnnexArea | null });
  };

  return (
    <form className="space-y-5" onSubmit={submit} noValidate aria-label={`Classify ${agent.name}`}>
      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold text-slate-900">1. Does it do anything Art. 5 prohibits?</legend>
        <div className="grid grid-cols-1 gap-1.5 md:grid-cols-2">
          {PROHIBITED_PRACTICES.map((practice) => (
            <Check
              key={practice.id}
              label={practice.label}
              checked={answers.prohibitedPractices.includes(practice.id)}
              onChange={(on) => set("prohibitedPractices", toggle(answers.prohibitedPractices, practice.id, on))}
            />
          ))}
        </div>
      </fieldset>
      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold text-slate-900">2. Where is it used? (Annex III areas)</legend>
        <div className="grid grid-cols-1 gap-1.5 md:grid-cols-2">
          {ANNEX_AREAS.map((area) => (
            <Check key={area.id} label={area.label} hint={area.hint} checked={answers.annexAreas.includes(area.id)} onChange={(on) => set("annexAreas", toggle(answers.annexAreas, area.id, on))} />
          ))}
          <Check label={ANNEX_I_AREA.label} hint={ANNEX_I_AREA.hint} checked={answers.safetyComponentAnnexI} onChange={(on) => set("safetyComponentAnnexI", on)} />
        </div>
      </fieldset>
      <fieldset className="space-y-1.5">
        <legend className="text-sm font-semibold text-slate-900">3. How does it work with people?</legend>
        <Check
          label="It profiles people (evaluates personal aspects such as work performance, economic situation, health, behaviour)"
          checked={answers.profilesPeople}
          onChange={(on) => set("profilesPeople", on)}
        />
        <Check
          label="It only performs a narrow procedural or preparatory task, or improves the result of work a person already did (Art. 6(3))"
          checked={answers.narrowProceduralTask}
          onChange={(on) => set("narrowProceduralTask", on)}
        />
        <Check label="It interacts directly with people" checked={answers.interactsWithPeople} onChange={(on) => set("interactsWithPeople", on)} />
        <Check label="It generates text, images, audio or video" checked={answers.generatesContent} onChange={(on) => set("generatesContent", on)} />
      </fieldset>

      <section aria-label="Suggested class" className="rounded-md bg-slate-50 px-4 py-3 ring-1 ring-slate-200 ring-inset">
        <p className="text-sm font-semibold text-slate-900">
          Suggested: <Badge tone={suggestion.riskClass === "prohibited" ? "bad" : suggestion.riskClass === "high" ? "warn" : "info"}>{RISK_CLASS_LABELS[suggestion.riskClass]}</Badge>
        </p>
        <ol className="mt-1 list-decimal space-y-0.5 pl-5 text-sm text-slate-600">
          {suggestion.reasoning.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ol>
      </section>

      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <Field label="Risk class (your decision)" htmlFor={`${id}-class`} hint="The suggestion is a starting point; you decide.">
          <Select id={`${id}-class`} value={riskClass} onChange={(event) => setRiskClass(event.target.value as RiskClass | "")}>
            <option value="">As suggested ({RISK_CLASS_LABELS[suggestion.riskClass]})</option>
            {RISK_CLASSES.map((value) => (
              <option key={value} value={value}>
                {RISK_CLASS_LABELS[value]}
              </option>
            ))}
          </Select>
        </Field>
        {chosen === "high" ? (
          <Field label="Annex area that makes it high risk" htmlFor={`${id}-area`}>
            <Select id={`${id}-area`} value={annexArea} onChange={(event) => setAnnexArea(event.target.value)}>
              <option value="">{suggestion.annexArea ? `As suggested (${[...ANNEX_AREAS, ANNEX_I_AREA].find((area) => area.id === suggestion.annexArea)?.label})` : "Choose…"}</option>
              {[...ANNEX_AREAS, ANNEX_I_AREA].map((area) => (
                <option key={area.id} value={area.id}>
                  {area.label}
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
      </div>
      <fieldset>
        <legend className="mb-1.5 text-sm font-medium text-slate-700">Data categories it handles (declared)</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-1.5">
          {DATA_CATEGORIES.map((category) => (
            <Check key={category} label={category} checked={categories.includes(category)} onChange={(on) => setCategories(toggle(categories, category, on))} />
          ))}
        </div>
      </fieldset>
      <Field label="Reason (required, kept in the audit log)" htmlFor={`${id}-reason`} error={reasonError}>
        <textarea
          id={`${id}-reason`}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          rows={3}
          maxLength={2000}
          aria-invalid={Boolean(reasonError)}
          className="block w-full rounded-md border-0 px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset placeholder:text-slate-400 focus:ring-2 focus:ring-brand-500 focus:ring-inset aria-[invalid=true]:ring-red-500"
          placeholder="Why this class, in a sentence an auditor will understand"
        />
      </Field>
      <FormError message={classify.error ? errorMessage(classify.error) : null} />
      <FormButtons onCancel={onDone} submitLabel="Save classification" pendingLabel="Saving…" pending={classify.isPending} />
    </form>
  );
}
