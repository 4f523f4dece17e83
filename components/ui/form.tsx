import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
import { Button } from "./button";
import { cn } from "./cn";

const control =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand-500 disabled:bg-slate-50 disabled:text-slate-500 aria-[invalid=true]:ring-red-500";

export function Input({ className, ...props }: InputHTMLAttributes<HTMLInputElement>) {
  return <input className={cn(control, className)} {...props} />;
}

/** A select; `options` (a value, or a value and its label) are listed after any children. */
export function Select({ className, options, children, ...props }: SelectHTMLAttributes<HTMLSelectElement> & { options?: readonly (string | { value: string; label: string })[] }) {
  return (
    <select className={cn(control, "pr-8", className)} {...props}>
      {children}
      {options?.map((option) => {
        const { value, label } = typeof option === "string" ? { value: option, label: option } : option;
        return (
          <option key={value} value={value}>
            {label}
          </option>
        );
      })}
    </select>
  );
}

/** A labelled control with an optional hint and error; the error is announced to screen readers. */
export function Field({ label, htmlFor, hint, error, children }: { label: string; htmlFor: string; hint?: ReactNode; error?: string | null; children: ReactNode }) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={htmlFor} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
      {hint && !error ? <p className="text-xs text-slate-500">{hint}</p> : null}
      {error ? (
        <p id={`${htmlFor}-error`} role="alert" className="text-xs font-medium text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A form's closing row: Cancel, and the submit button that says what it does (and that it is doing it). */
export function FormButtons({
  onCancel,
  submitLabel,
  pendingLabel,
  pending,
  danger = false,
  disabled = false,
}: {
  onCancel: () => void;
  submitLabel: string;
  pendingLabel?: string;
  pending: boolean;
  danger?: boolean;
  disabled?: boolean;
}) {
  return (
    <div className="flex justify-end gap-2">
      <Button variant="secondary" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" variant={danger ? "danger" : "primary"} disabled={pending || disabled} aria-busy={pending}>
        {pending && pendingLabel ? pendingLabel : submitLabel}
      </Button>
    </div>
  );
}

/** Why a change was refused, in a form: nothing until there is something to say. */
export function FormError({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm font-medium text-red-700 ring-1 ring-red-200 ring-inset">
      {message}
    </p>
  );
}

/** A select of named things (agents, teams): a first option that asks for a choice (or means none), then one a thing. */
export function NamedSelect({
  id,
  value,
  onChange,
  items,
  placeholder,
  disabled,
}: {
  id: string;
  value: string;
  onChange: (id: string) => void;
  items: readonly { id: string; name: string }[];
  placeholder: string;
  disabled?: boolean;
}) {
  return (
    <Select id={id} value={value} onChange={(event) => onChange(event.target.value)} disabled={disabled}>
      <option value="">{placeholder}</option>
      {items.map((item) => (
        <option key={item.id} value={item.id}>
          {item.name}
        </option>
      ))}
    </Select>
  );
}

/** Checkboxes for choosing some of a few things (teams, providers, alert kinds): none ticked is a choice too. */
export function CheckboxGroup<Value extends string>({
  legend,
  hint,
  options,
  selected,
  onChange,
  error,
  id,
  className,
}: {
  legend: string;
  hint?: ReactNode;
  options: readonly { value: Value; label: string }[];
  selected: readonly Value[];
  onChange: (selected: Value[]) => void;
  /** Why the choice is refused, announced; `id` names it for aria-describedby. */
  error?: string | null;
  id?: string;
  className?: string;
}) {
  const errorId = id ? `${id}-error` : undefined;
  return (
    <fieldset className={className} aria-describedby={error ? errorId : undefined}>
      <legend className="text-sm font-medium text-slate-700">{legend}</legend>
      {hint ? <div className="text-xs text-slate-500">{hint}</div> : null}
      <div className="mt-2 flex flex-wrap gap-x-5 gap-y-2">
        {options.map((option) => (
          <label key={option.value} className="flex items-center gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              className="h-4 w-4 rounded border-slate-300 accent-brand-600"
              checked={selected.includes(option.value)}
              onChange={(event) => onChange(event.target.checked ? [...selected, option.value] : selected.filter((item) => item !== option.value))}
            />
            {option.label}
          </label>
        ))}
      </div>
      {error ? (
        <p id={errorId} role="alert" className="mt-1.5 text-xs font-medium text-red-600">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
