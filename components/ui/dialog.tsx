"use client";

import { useEffect, useId, useRef, type ReactNode, type RefObject } from "react";
import { cn } from "./cn";

/** Opens the <dialog> as a modal while `open` is true (focus trapped, Escape closes) and closes it after. */
export function useModalDialog(open: boolean): RefObject<HTMLDialogElement | null> {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return ref;
}

/**
 * A modal on the native <dialog>: showModal() gives focus trapping, Escape to close and an inert
 * background for free. Children mount only while open, so every opening starts from a clean form.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  size = "md",
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  size?: "sm" | "md" | "lg";
}) {
  const ref = useModalDialog(open);
  const titleId = useId();
  const descriptionId = useId();

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onClose={onClose}
      onClick={(event) => {
        // A click on the backdrop lands on the <dialog> element itself.
        if (event.target === event.currentTarget) onClose();
      }}
      className={`m-auto w-full ${size === "sm" ? "max-w-md" : size === "lg" ? "max-w-3xl" : "max-w-lg"} rounded-lg bg-white p-0 text-slate-900 shadow-xl ring-1 ring-slate-200 backdrop:bg-slate-900/40`}
    >
      {open ? (
        <div className="px-6 py-5">
          <div className="mb-4 flex items-start justify-between gap-4">
            <div>
              <h2 id={titleId} className="text-lg font-semibold text-slate-900">
                {title}
              </h2>
              {description ? (
                <div id={descriptionId} className="mt-1 text-sm text-slate-500">
                  {description}
                </div>
              ) : null}
            </div>
            <CloseButton onClose={onClose} className="-mt-1" />
          </div>
          {children}
        </div>
      ) : null}
    </dialog>
  );
}

/** The × in a dialog's corner. */
export function CloseButton({ onClose, className }: { onClose: () => void; className?: string }) {
  return (
    <button type="button" aria-label="Close" onClick={onClose} className={cn("-mr-2 grid h-8 w-8 place-items-center rounded-md text-slate-400 hover:bg-slate-100 hover:text-slate-700", className)}>
      <span aria-hidden className="text-xl leading-none">
        ×
      </span>
    </button>
  );
}
