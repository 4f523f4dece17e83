import { ComingSoon } from "@/components/shell/coming-soon";

export default function AuditPage() {
  return <ComingSoon title="Audit" summary="placeholder" items={[]} />;
}
