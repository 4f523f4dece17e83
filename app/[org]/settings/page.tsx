import { ComingSoon } from "@/components/shell/coming-soon";

export default function SettingsPage() {
  return <ComingSoon title="Settings" summary="placeholder" items={[]} />;
}
