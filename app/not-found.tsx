import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

export default function NotFound() {
  return (
    <div className="flex min-h-[60vh] items-center justify-center px-4">
      <div className="text-center">
        <p className="text-sm font-semibold text-brand-600">404</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">Page not found</h1>
        <p className="mt-2 text-sm text-slate-600">There is nothing here, or you do not have access to it.</p>
        <Link href="/" className={buttonClass("secondary", "md", "mt-6")}>
          Back to the console
        </Link>
      </div>
    </div>
  );
}
