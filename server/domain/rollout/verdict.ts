// What lifecycle says about one request of one instance (decide, heartbeat, directives): the
// version to run, whether its own version is retired (decide then denies with reason `retired`)
// or deprecated (it still runs, with a warning in its directives). Pure.
import { resolveReportedVersion, versionForUnit, type AgentVersionFacts, type VersionRef } from "./assign";

export interface VersionVerdict {
  /** What the instance must run; directives carry it as `version: {id, label}` (null: the agent has no versions). */
  version: VersionRef | null;
  /** The instance runs a retired version: refuse its decisions (reason `retired`); it must move to `version`, or halt when that is null. */
  refuse?: { code: "retired"; message: string };
  /** The instance runs a deprecated version: it may go on, but is told to move. */
  warning?: { code: "version_deprecated"; message: string };
}

/**
 * @param facts    the agent's AgentVersionFacts (null/undefined when it has no versions)
 * @param unit     the instance id, or the task id when there is none (null: neither)
 * @param reported the version the instance says it runs (its id or label), when it says
 */
export function versionVerdict(facts: AgentVersionFacts | null | undefined, unit: string | null, reported: string | null | undefined): VersionVerdict {
  const version = versionForUnit(facts, unit);
  const running = resolveReportedVersion(facts, reported);
  if (running?.status === "retired") {
    return {
      version,
      refuse: {
        code: "retired",
        message: version
          ? `Version ${running.label} is retired and may not act; move to version ${version.label}.`
          : `Version ${running.label} is retired and may not act, and the agent has no released version to move to: halt.`,
      },
    };
  }
  if (running?.status === "deprecated") {
    return {
      version,
      warning: {
        code: "version_deprecated",
        message: version ? `Version ${running.label} is deprecated; move to version ${version.label}.` : `Version ${running.label} is deprecated.`,
      },
    };
  }
  return { version };
}
