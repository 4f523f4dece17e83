import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/card";

/** A console section whose feature has not landed yet: says what it will hold, nothing more. */
export function ComingSoon({ title, summary, items }: { title: string; summary: string; items: string[] }) {
  return (
    <>
      <PageHeader title={title} description={summary} />
      <Card className="px-6 py-5">
        <p className="text-sm font-medium text-slate-900">Not available yet. This section will hold:</p>
        <ul className="mt-3 list-disc space-y-1 pl-5 text-sm text-slate-600">
          {items.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      </Card>
    </>
  );
}
