// The demo org's agents: a realistic spread of teams, frameworks, models and tools.
import type { DataCategory } from "../../server/domain/agents/agent-fields";

export interface SeedAgent {
  name: string;
  team: string;
  owner: string;
  framework: string;
  description: string;
  models: string[];
  tools: string[];
  dataCategories: DataCategory[];
  tags: string[];
  version: string;
}

export const SEED_AGENTS: SeedAgent[] = [
  {
    name: "content-writer",
    team: "Marketing",
    owner: "lead.marketing@acme.test",
    framework: "LangChain",
    description: "Drafts blog posts, campaign copy and product descriptions from briefs.",
    models: ["claude-sonnet-4-5", "gpt-5-mini"],
    tools: ["web_search", "cms_publish", "image_generate"],
    dataCategories: [],
    tags: ["content", "external-facing"],
    version: "2.3.0",
  },
  {
    name: "seo-optimizer",
    team: "Marketing",
    owner: "lead.marketing@acme.test",
    framework: "LangGraph",
    description: "Audits landing pages and suggests keyword and metadata changes.",
    models: ["gpt-5-mini"],
    tools: ["web_search", "crawl_site", "cms_update"],
    dataCategories: [],
    tags: ["content"],
    version: "1.4.2",
  },
  {
    name: "reconciliation-agent",
    team: "Finance",
    owner: "lead.finance@acme.test",
    framework: "CrewAI",
    description: "Matches bank statements against the ledger and flags discrepancies for review.",
    models: ["gpt-4.1", "gpt-4.1-mini"],
    tools: ["ledger_query", "bank_statement_fetch", "create_journal_entry"],
    dataCategories: ["financial", "PII"],
    tags: ["sox", "month-end"],
    version: "3.1.0",
  },
  {
    name: "financial-analyst",
    team: "Finance",
    owner: "lead.finance@acme.test",
    framework: "CrewAI",
    description: "Builds variance analyses and forecasts from the ERP for the monthly close.",
    models: ["claude-opus-4-1", "gemini-2.5-pro"],
    tools: ["erp_query", "spreadsheet_write", "chart_render"],
    dataCategories: ["financial"],
    tags: ["month-end"],
    version: "1.8.1",
  },
  {
    name: "invoice-extractor",
    team: "Finance",
    owner: "lead.finance@acme.test",
    framework: "LlamaIndex",
    description: "Extracts line items from supplier invoices into the payables queue.",
    models: ["gemini-2.5-flash"],
    tools: ["ocr_document", "payables_create"],
    dataCategories: ["financial", "PCI"],
    tags: ["payables"],
    version: "0.9.4",
  },
  {
    name: "ticket-router",
    team: "IT",
    owner: "it-ops@acme.test",
    framework: "AutoGen",
    description: "Classifies incoming IT tickets and routes them to the right queue.",
    models: ["gpt-5-nano", "gemini-2.5-flash-lite"],
    tools: ["ticket_read", "ticket_assign", "kb_search"],
    dataCategories: ["PII"],
    tags: ["service-desk"],
    version: "2.1.0",
  },
  {
    name: "doc-classifier",
    team: "IT",
    owner: "it-ops@acme.test",
    framework: "AutoGen",
    description: "Labels documents in the shared drive by sensitivity and retention class.",
    models: ["gemini-2.5-flash-lite"],
    tools: ["drive_list", "drive_label"],
    dataCategories: ["PII"],
    tags: ["records"],
    version: "1.2.0",
  },
  {
    name: "access-reviewer",
    team: "IT",
    owner: "it-ops@acme.test",
    framework: "Semantic Kernel",
    description: "Prepares quarterly access reviews from the identity provider's group memberships.",
    models: ["gpt-4.1-mini"],
    tools: ["idp_list_groups", "idp_list_members", "report_write"],
    dataCategories: ["PII"],
    tags: ["sox", "security"],
    version: "0.6.0",
  },
  {
    name: "support-chatbot",
    team: "Customer Service",
    owner: "cs-lead@acme.test",
    framework: "OpenAI Agents SDK",
    description: "Answers customer questions, looks up orders and issues refunds within policy.",
    models: ["gpt-5-mini", "claude-haiku-4-5"],
    tools: ["order_lookup", "issue_refund", "kb_search", "handoff_to_human"],
    dataCategories: ["PII", "PCI"],
    tags: ["external-facing", "high-risk"],
    version: "4.0.2",
  },
  {
    name: "kb-summarizer",
    team: "Customer Service",
    owner: "cs-lead@acme.test",
    framework: "LangChain",
    description: "Keeps the help-centre articles summarised and flags outdated ones.",
    models: ["gpt-4o-mini"],
    tools: ["kb_search", "kb_update"],
    dataCategories: [],
    tags: ["content"],
    version: "1.0.3",
  },
];
