// Per-organisation AI settings and OpenRouter's model list through the one API client: which key
// the organisation's replies use, its own key (set or removed, never read back) and the models its
// bots may use.
import { request } from '@/lib/api';

/** Which key the organisation's AI replies use now; "none": replies come from templates only. */
export type AiKeyInUse = 'organization' | 'installation' | 'none';

/** The server's shared key: usable by organisations without their own, forbidden by the operator, or absent. */
export type InstallationKey = 'available' | 'forbidden' | 'none';

export type AiHealthState = 'ok' | 'down' | 'needs_attention' | 'off';

export interface OrgAiSettings {
  /** The organisation's own OpenRouter key; the key itself never leaves the server. */
  own_key: { set_at: string; verified_at: string } | null;
  /** Empty: the organisation's bots may use any model. */
  allowed_models: string[];
  installation_key: InstallationKey;
  using: AiKeyInUse;
  health: { state: AiHealthState; reason: string; since: string | null };
  /** Owners and admins may change these settings. */
  can_manage: boolean;
}

/** Either or both; the key is checked with OpenRouter before it is saved (422 fields.api_key, 503). */
export interface OrgAiUpdate {
  api_key?: string;
  allowed_models?: string[];
}

export interface AiModel {
  id: string;
  name: string;
  context_length: number | null;
  /** US dollars per token, as OpenRouter writes them. */
  prompt_price: string | null;
  completion_price: string | null;
}

/** OpenRouter's models as the server last fetched them; `error` says why the list may be empty. */
export interface AiModelList {
  models: AiModel[];
  fetched_at: string | null;
  error: string | null;
}

const org = (orgId: string) => `/api/orgs/${encodeURIComponent(orgId)}/ai`;

export const aiApi = {
  settings: (orgId: string) => request<OrgAiSettings>('GET', org(orgId)),
  update: (orgId: string, changes: OrgAiUpdate) => request<OrgAiSettings>('PUT', org(orgId), changes),
  /** The organisation falls back to the installation's key when that is available. */
  removeKey: (orgId: string) => request<OrgAiSettings>('DELETE', `${org(orgId)}/key`),
  models: () => request<AiModelList>('GET', '/api/ai/models'),
};

/** The shape of an OpenRouter model id (the server checks the same). */
export const MODEL_ID_PATTERN = /^[a-z0-9][a-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._:-]*$/;
export const MODEL_ID_HINT = 'Use an OpenRouter model id such as openai/gpt-4o-mini.';
