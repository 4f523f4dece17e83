// The words agent policies are written in: action types, their resource entity types, and how a
// name becomes a Cedar string literal. Shared by the form, the engine and the console (pure).

export const ACTION_TYPES = ["tool", "model", "data", "delegate", "spend"] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

/** The resource entity type of each action (see server/policy/schema.ts). */
export const RESOURCE_TYPE: Record<ActionType, string> = {
  tool: "Tool",
  model: "Model",
  data: "DataClass",
  delegate: "Agent",
  spend: "Budget",
};

export const RISK_CLASSES = ["prohibited", "high", "limited", "minimal"] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];

/** The annotation that turns a permit into "allowed once a person approves". */
export const APPROVAL_ANNOTATION = "approval";
/** An optional annotation whose text is the reason given to the agent. */
export const REASON_ANNOTATION = "reason";

/**
 * A Cedar string literal. Cedar strings use Rust's escapes; quotes, backslashes and every
 * control character are escaped so that no name can end the literal or the policy early.
 */
export function cedarString(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"') out += '\\"';
    else if (char === "\\") out += "\\\\";
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f || (code >= 0x2028 && code <= 0x2029)) out += `\\u{${code.toString(16)}}`;
    else out += char;
  }
  return `${out}"`;
}

/** `Type::"id"`, escaped. */
export function entityRef(type: string, id: string): string {
  return `${type}::${cedarString(id)}`;
}
