// Real models with their providers' list prices (USD per million input / output tokens, as
// published in 2025-2026) and a quality tier from 1 (simple classification) to 5 (frontier).
export interface SeedModel {
  provider: string;
  name: string;
  inputUsdPerMTok: string;
  outputUsdPerMTok: string;
  qualityTier: 1 | 2 | 3 | 4 | 5;
  contextWindow: number;
  status: "active" | "deprecated" | "disabled";
}

export const SEED_MODELS: SeedModel[] = [
  { provider: "openai", name: "gpt-5", inputUsdPerMTok: "1.25", outputUsdPerMTok: "10", qualityTier: 5, contextWindow: 400_000, status: "active" },
  { provider: "openai", name: "gpt-5-mini", inputUsdPerMTok: "0.25", outputUsdPerMTok: "2", qualityTier: 4, contextWindow: 400_000, status: "active" },
  { provider: "openai", name: "gpt-5-nano", inputUsdPerMTok: "0.05", outputUsdPerMTok: "0.40", qualityTier: 2, contextWindow: 400_000, status: "active" },
  { provider: "openai", name: "gpt-4.1", inputUsdPerMTok: "2", outputUsdPerMTok: "8", qualityTier: 4, contextWindow: 1_047_576, status: "active" },
  { provider: "openai", name: "gpt-4.1-mini", inputUsdPerMTok: "0.40", outputUsdPerMTok: "1.60", qualityTier: 3, contextWindow: 1_047_576, status: "active" },
  { provider: "openai", name: "gpt-4o", inputUsdPerMTok: "2.50", outputUsdPerMTok: "10", qualityTier: 4, contextWindow: 128_000, status: "deprecated" },
  { provider: "openai", name: "gpt-4o-mini", inputUsdPerMTok: "0.15", outputUsdPerMTok: "0.60", qualityTier: 2, contextWindow: 128_000, status: "active" },
  { provider: "anthropic", name: "claude-opus-4-1", inputUsdPerMTok: "15", outputUsdPerMTok: "75", qualityTier: 5, contextWindow: 200_000, status: "active" },
  { provider: "anthropic", name: "claude-sonnet-4-5", inputUsdPerMTok: "3", outputUsdPerMTok: "15", qualityTier: 5, contextWindow: 200_000, status: "active" },
  { provider: "anthropic", name: "claude-haiku-4-5", inputUsdPerMTok: "1", outputUsdPerMTok: "5", qualityTier: 3, contextWindow: 200_000, status: "active" },
  { provider: "google", name: "gemini-2.5-pro", inputUsdPerMTok: "1.25", outputUsdPerMTok: "10", qualityTier: 5, contextWindow: 1_048_576, status: "active" },
  { provider: "google", name: "gemini-2.5-flash", inputUsdPerMTok: "0.30", outputUsdPerMTok: "2.50", qualityTier: 3, contextWindow: 1_048_576, status: "active" },
  { provider: "google", name: "gemini-2.5-flash-lite", inputUsdPerMTok: "0.10", outputUsdPerMTok: "0.40", qualityTier: 1, contextWindow: 1_048_576, status: "active" },
  { provider: "mistral", name: "mistral-large-latest", inputUsdPerMTok: "2", outputUsdPerMTok: "6", qualityTier: 4, contextWindow: 128_000, status: "active" },
  { provider: "mistral", name: "mistral-small-latest", inputUsdPerMTok: "0.10", outputUsdPerMTok: "0.30", qualityTier: 2, contextWindow: 128_000, status: "active" },
];
