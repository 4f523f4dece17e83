import type { ReactNode } from "react";

/** The frame of the pages people see before they are in an organisation: sign-in, invitations, password resets. */
export function PublicPage({ title, description, children, width = "sm" }: { title: string; description?: ReactNode; children: ReactNode; width?: "sm" | "md" }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-10">
      <div className={width === "sm" ? "w-full max-w-sm" : "w-full max-w-lg"}>
        <div className="mb-8 flex items-center gap-2">
          <span aria-hidden className="grid h-9 w-9 place-items-center rounded-lg bg-brand-600 text-lg font-bold text-white">
            A
          </span>
          <span className="text-xl font-semibold tracking-tight">Agentry</span>
        </div>
        <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <h1 className="mb-1 text-lg font-semibold">{title}</h1>
          {description ? <div className="mb-6 text-sm text-slate-500">{description}</div> : null}
          {children}
        </div>
      </div>
    </main>
  );
}

export function Notice({ tone = "info", children }: { tone?: "info" | "error" | "success"; children: ReactNode }) {
  const tones = {
    info: "bg-slate-50 text-slate-700 ring-slate-200",
    error: "bg-red-50 text-red-700 ring-red-200",
    success: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  };
  return (
    <p role={tone === "error" ? "alert" : "status"} className={`rounded-md px-3 py-2 text-sm ring-1 ring-inset ${tones[tone]}`}>
      {children}
    </p>
  );
}
