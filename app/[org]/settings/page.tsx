import type { Metadata } from "next";
import { Suspense } from "react";
import { SettingsPage } from "@/components/settings/settings-page";

export const metadata: Metadata = { title: "Settings" };

export default function Page() {
  // SettingsPage reads ?tab= from the URL.
  return (
    <Suspense>
      <SettingsPage />
    </Suspense>
  );
}
