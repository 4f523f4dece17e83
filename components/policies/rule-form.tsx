"use client";

import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/form";
import { NUMBER_OPS, TEXT_OPS, type RuleCondition, type RuleForm, type RuleWho } from "@/server/domain/policy/form";
import { ACTION_TYPES, RISK_CLASSES } from "@/server/domain/policy/vocabulary";
import { newCondition, parseList, type FormState } from "./editor-model";

const WHO_KINDS: { value: RuleWho["kind"]; label: string }[] = [
  { value: "all", label: "All agents" },
  { value: "agent", label: "An agent" },
  { value: "team", label: "A team" },
  { value: "tag", label: "Agents with a tag" },
  { value: "riskClass", label: "A risk class" },
];
const CONDITION_KINDS: { value: RuleCondition["kind"]; label: string }[] = [
  { value: "number", label: "Number argument" },
  { value: "text", label: "Text argument" },
  { value: "hours", label: "Time of day (UTC)" },
  { value: "dataClasses", label: "Data classes" },
];

function whoOf(kind: RuleWho["kind"], name: string): RuleWho {
  if (kind === "all") return { kind };
  if (kind === "riskClass") return { kind, name: RISK_CLASSES.find((risk) => risk === name) ?? "high" };
  return { kind, name };
}

/** The everyday-rule form: who, what, effect, conditions. */
export function RuleFormFields({ state, onChange, disabled }: { state: FormState; onChange: (state: FormState) => void; disabled?: boolean }) {
  const { rule } = state;
  const set = (patch: Partial<RuleForm>) => onChange({ ...state, rule: { ...rule, ...patch } });
  const setCondition = (index: number, condition: RuleCondition) => set({ conditions: rule.conditions.map((existing, at) => (at === index ? condition : existing)) });
  const whoName = rule.who.kind === "all" ? "" : rule.who.name;

  return (
    <fieldset disabled={disabled} className="space-y-4">
      <legend className="sr-only">Rule</legend>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Who" htmlFor="rule-who">
          <Select id="rule-who" value={rule.who.kind} onChange={(event) => set({ who: whoOf(event.target.value as RuleWho["kind"], whoName) })}>
            {WHO_KINDS.map((kind) => (
              <option key={kind.value} value={kind.value}>
                {kind.label}
              </option>
            ))}
          </Select>
        </Field>
        {rule.who.kind === "riskClass" ? (
          <Field label="Risk class" htmlFor="rule-who-name">
            <Select id="rule-who-name" value={rule.who.name} onChange={(event) => set({ who: whoOf("riskClass", event.target.value) })}>
              {RISK_CLASSES.map((risk) => (
                <option key={risk} value={risk}>
                  {risk}
                </option>
              ))}
            </Select>
          </Field>
        ) : rule.who.kind !== "all" ? (
          <Field label={rule.who.kind === "agent" ? "Agent name" : rule.who.kind === "team" ? "Team name" : "Tag"} htmlFor="rule-who-name">
            <Input id="rule-who-name" value={whoName} onChange={(event) => set({ who: whoOf(rule.who.kind, event.target.value) })} />
          </Field>
        ) : (
          <div />
        )}
        <Field label="Action" htmlFor="rule-action">
          <Select id="rule-action" value={rule.action} onChange={(event) => set({ action: event.target.value as RuleForm["action"] })} options={[{ value: "any", label: "Any action" }, ...ACTION_TYPES]} />
        </Field>
        <Field label="Names (comma-separated; empty: any)" htmlFor="rule-resources" hint="Tools, models, data classes, agents or budgets, by name.">
          <Input id="rule-resources" value={state.resourcesText} disabled={rule.action === "any"} onChange={(event) => onChange({ ...state, resourcesText: event.target.value })} />
        </Field>
        <Field label="Effect" htmlFor="rule-effect">
          <Select id="rule-effect" value={rule.effect} onChange={(event) => set({ effect: event.target.value as RuleForm["effect"] })}>
            <option value="allow">Allow</option>
            <option value="deny">Deny</option>
            <option value="require_approval">Require human approval</option>
          </Select>
        </Field>
        <Field label="Reason told to the agent (optional)" htmlFor="rule-reason">
          <Input id="rule-reason" value={rule.reason} maxLength={300} onChange={(event) => set({ reason: event.target.value })} />
        </Field>
      </div>

      <div className="space-y-3">
        <p className="text-sm font-medium text-slate-700">Conditions (all must hold)</p>
        {rule.conditions.map((condition, index) => (
          <div key={index} className="flex flex-wrap items-end gap-2 rounded-md bg-slate-50 p-3" role="group" aria-label={`Condition ${index + 1}`}>
            <ConditionFields index={index} condition={condition} onChange={(next) => setCondition(index, next)} />
            <Button variant="ghost" size="sm" aria-label={`Remove condition ${index + 1}`} onClick={() => set({ conditions: rule.conditions.filter((_, at) => at !== index) })}>
              Remove
            </Button>
          </div>
        ))}
        <div className="flex flex-wrap gap-2">
          {CONDITION_KINDS.map((kind) => (
            <Button key={kind.value} variant="secondary" size="sm" disabled={rule.conditions.length >= 20} onClick={() => set({ conditions: [...rule.conditions, newCondition(kind.value)] })}>
              + {kind.label}
            </Button>
          ))}
        </div>
      </div>
    </fieldset>
  );
}

function ConditionFields({ index, condition, onChange }: { index: number; condition: RuleCondition; onChange: (condition: RuleCondition) => void }) {
  const id = (name: string) => `condition-${index}-${name}`;
  const small = "w-40";
  switch (condition.kind) {
    case "number":
    case "text":
      return (
        <>
          <Field label="Argument" htmlFor={id("argument")}>
            <Input id={id("argument")} className={small} value={condition.argument} onChange={(event) => onChange({ ...condition, argument: event.target.value })} />
          </Field>
          <Field label="Comparison" htmlFor={id("op")}>
            <Select
              id={id("op")}
              value={condition.op}
              onChange={(event) =>
                condition.kind === "number" ? onChange({ ...condition, op: event.target.value as (typeof NUMBER_OPS)[number] }) : onChange({ ...condition, op: event.target.value as (typeof TEXT_OPS)[number] })
              }
            >
              {(condition.kind === "number" ? NUMBER_OPS : TEXT_OPS).map((op) => (
                <option key={op} value={op}>
                  {op}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={condition.kind === "number" ? "Number" : "Text"} htmlFor={id("value")}>
            <Input
              id={id("value")}
              className={small}
              inputMode={condition.kind === "number" ? "decimal" : undefined}
              value={condition.value}
              onChange={(event) => onChange({ ...condition, value: event.target.value })}
            />
          </Field>
        </>
      );
    case "hours":
      return (
        <>
          <Field label="Applies" htmlFor={id("inside")}>
            <Select id={id("inside")} value={condition.inside ? "inside" : "outside"} onChange={(event) => onChange({ ...condition, inside: event.target.value === "inside" })}>
              <option value="inside">between</option>
              <option value="outside">outside</option>
            </Select>
          </Field>
          <Field label="From hour (UTC)" htmlFor={id("from")}>
            <Input id={id("from")} type="number" min={0} max={23} className="w-24" value={condition.from} onChange={(event) => onChange({ ...condition, from: Number(event.target.value) })} />
          </Field>
          <Field label="To hour (UTC)" htmlFor={id("to")}>
            <Input id={id("to")} type="number" min={1} max={24} className="w-24" value={condition.to} onChange={(event) => onChange({ ...condition, to: Number(event.target.value) })} />
          </Field>
        </>
      );
    case "dataClasses":
      return (
        <>
          <Field label="Request touches" htmlFor={id("match")}>
            <Select id={id("match")} value={condition.match} onChange={(event) => onChange({ ...condition, match: event.target.value as "any" | "all" | "none" })}>
              <option value="any">any of</option>
              <option value="all">all of</option>
              <option value="none">none of</option>
            </Select>
          </Field>
          <Field label="Data classes" htmlFor={id("classes")}>
            <Input id={id("classes")} className="w-56" defaultValue={condition.classes.join(", ")} onChange={(event) => onChange({ ...condition, classes: parseList(event.target.value) })} />
          </Field>
        </>
      );
  }
}
