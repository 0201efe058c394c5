// Typed client for the Switchboard HTTP API (docs/api.md): one fetch wrapper that sends the
// session's CSRF token on writes and turns the server's error envelope into an ApiError (a 402 from a
// plan's limit into the words of lib/plan-limits.ts).
import { featureNotInPlanMessage, planLimitMessage, type PlanLimitDetails } from '@/lib/plan-limits';

export interface User {
  id: string;
  email: string;
  name: string;
  is_platform_admin: boolean;
  /** Whether the account signs in with a second factor (absent from servers before two-factor sign-in). */
  two_factor_enabled?: boolean;
  /** Whether the address was proved by a link (absent from servers before email verification). */
  email_verified?: boolean;
  created_at: string;
}

/** Roles inside an organisation, from most to least powerful. */
export type Role = 'owner' | 'admin' | 'member' | 'viewer';

export interface Organization {
  id: string;
  name: string;
  created_at: string;
  /** Every member must sign in with a second factor. */
  require_two_factor?: boolean;
  /** IANA name the analytics days are counted in (ADR 0037; absent from servers before analytics). */
  time_zone?: string;
}

export interface Session {
  user: User;
  /** Where the session acts; null for a user who belongs to no organisation (e.g. after leaving the last one). */
  organization: Organization | null;
  role: Role | null;
  csrf_token: string;
  expires_at: string;
  /** The organisation requires two-factor sign-in and the user has not set it up: its routes answer 403. */
  two_factor_enrollment_required?: boolean;
}

/** A session acting in an organisation. */
export interface OrgSession extends Session {
  organization: Organization;
  role: Role;
}

export interface Profile {
  user_id: string;
  email: string;
  name: string;
  avatar_url: string | null;
  timezone: string;
  updated_at: string;
}

export type CheckStatus = 'green' | 'amber' | 'red';

export interface Migration {
  version: number | string;
  name: string;
  applied_at?: string;
}

export interface DebugReport {
  checks: { name: string; status: CheckStatus; reason: string }[];
  database: { driver: string; latency_ms: number };
  migrations: { applied: Migration[]; pending: Migration[] };
  session: {
    user: Pick<User, 'id' | 'email' | 'name'>;
    organization: { id: string; name?: string };
    role: string;
    expires_at: string;
  };
  build: { version: string; commit: string };
}

/** An organisation as its members see it: with the caller's role and the head count. */
export interface OrganizationWithRole extends Organization {
  role: Role;
  member_count: number;
}

export interface Member {
  user_id: string;
  email: string;
  name: string;
  role: Role;
  joined_at: string;
}

export interface PersonRef {
  /** null when that person's account no longer exists. */
  id: string | null;
  name: string;
}

export interface Invite {
  id: string;
  email: string;
  role: Role;
  status: 'pending' | 'expired';
  invited_by: PersonRef;
  created_at: string;
  expires_at: string;
  /** The link to accept; only in the answers to create and resend. */
  accept_url?: string;
}

export interface InvitePreview {
  organization: { id: string; name: string };
  email: string;
  role: Role;
  /** The inviter's name. */
  invited_by: PersonRef | string | null;
  expires_at: string;
}

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  created_by: PersonRef;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  /** The secret; only in the answer to create. */
  key?: string;
}

export interface ApiKeyInput {
  name: string;
  role: Role;
  expires_at?: string;
}

export interface AuditEvent {
  id: string;
  actor: { type: 'user' | 'api_key'; id: string; label: string };
  action: string;
  target: { type: string; id: string; label: string };
  ip: string;
  before: unknown;
  after: unknown;
  created_at: string;
}

export interface AuditFilters {
  action?: string;
  actor_id?: string;
  /** RFC 3339 */
  from?: string;
  /** RFC 3339 */
  to?: string;
  limit?: number;
  before?: string;
}

export interface AuditPage {
  items: AuditEvent[];
  next_before: string | null;
}

export interface Permissions {
  roles: Role[];
  actions: { action: string; description: string; roles: Role[] }[];
  /** null when the caller belongs to no organisation. */
  role: Role | null;
  organization_id?: string | null;
  allowed: string[];
}

export interface AdminOrganization {
  id: string;
  name: string;
  created_at: string;
  member_count: number;
  owner_email: string | null;
  /** The organisation's plan on servers with billing (ADR 0034): its key, or key and name (and status). */
  plan?:
    string | { key: string; name?: string; status?: string; grandfathered?: boolean; source?: string } | null;
  /** Kept unlimited from before billing was turned on, until a platform admin sets a plan. */
  grandfathered?: boolean;
}

export interface AdminUser {
  id: string;
  email: string;
  name: string;
  created_at: string;
  is_platform_admin: boolean;
  organization_count: number;
  two_factor_enabled?: boolean;
}

export interface Mail {
  id: string;
  to: string;
  subject: string;
  body: string;
  created_at: string;
}

export type BotStatus = 'active' | 'archived';

export interface Bot {
  id: string;
  name: string;
  description: string;
  avatar_color: string;
  avatar_url: string | null;
  system_prompt: string;
  model: string;
  temperature: number;
  max_tokens: number;
  greeting: string;
  fallback_message: string;
  /** Sent instead of a reply once the organisation used its monthly messages; null: the fallback message. */
  over_quota_message?: string | null;
  language: string;
  history_turns: number;
  ask_satisfaction: boolean;
  /** A user message containing one resolves the conversation (absent from servers before analytics). */
  resolution_phrases?: string[];
  template_ids: string[];
  status: BotStatus;
  /** False when the organisation restricts its models and this one is not among them (it still answers). */
  model_allowed?: boolean;
  version: number;
  created_at: string;
  updated_at: string;
}

/** The fields a client may set on a bot (every one optional on PATCH). */
export type BotInput = Partial<Omit<Bot, 'id' | 'model_allowed' | 'version' | 'created_at' | 'updated_at'>>;

export interface BotFilters {
  q?: string;
  status?: BotStatus | 'all';
}

export type ReplySource = 'ai' | 'template' | 'fallback';

export interface Reply {
  text: string;
  source: ReplySource;
  template_id: string | null;
  model: string | null;
  latency_ms: number;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  /** What the model call cost, in millionths of a US dollar (as OpenRouter reported it); null without one. */
  cost_micros?: number | null;
  /** Why the AI did not answer, in words (e.g. "OpenRouter rejected the API key (401)"). */
  error: string | null;
}

export interface ChatAnswer {
  session_id: string;
  reply: Reply;
  /** A streamed answer broke off mid-way: the reply is the bot's fallback message. */
  interrupted?: boolean;
}

export interface AiStatus {
  configured: boolean;
  provider: string;
  base_url_host: string;
  last_error: { status: number | null; reason: string; at: string } | null;
}

/** Platforms a template may have its own wording for. */
export const TEMPLATE_PLATFORMS = [
  'telegram',
  'whatsapp',
  'messenger',
  'slack',
  'discord',
  'twilio',
  'webchat',
] as const;
export type TemplatePlatform = (typeof TEMPLATE_PLATFORMS)[number];

export interface TemplateVariable {
  name: string;
  default: string;
}

export interface Template {
  id: string;
  name: string;
  category: string;
  trigger_phrases: string[];
  body: string;
  variables: TemplateVariable[];
  platform_variants: Partial<Record<TemplatePlatform, string>>;
  /** No trigger phrases on purpose: only the AI (or a person) uses it. */
  manual: boolean;
  /** What answering with it does besides: resolve the conversation or record a conversion. */
  action?: TemplateAction;
  created_at: string;
  updated_at: string;
}

export type TemplateAction = 'resolve' | 'convert' | null;

export type TemplateInput = Partial<Omit<Template, 'id' | 'created_at' | 'updated_at'>>;

export interface TemplatePreviewInput {
  body: string;
  variables?: Record<string, string>;
  defaults?: TemplateVariable[];
  platform?: string;
}

export type DeploymentStatus = 'active' | 'paused';

export interface Deployment {
  id: string;
  bot_id: string;
  bot_name: string;
  /** `webchat`, or the platform of the integration it runs on. */
  channel: string;
  integration_id: string | null;
  integration_name: string | null;
  integration_status: IntegrationStatus | null;
  allowed_origins: string[];
  status: DeploymentStatus;
  key: string;
  /** Whether /chat/:key works as a page of its own; off, the chat shows only inside the allowed sites. */
  hosted_page_enabled: boolean;
  /** The launcher's colour (#rrggbb), side, words beside its icon, greeting ("": the bot's) and theme. */
  color: string;
  position: WidgetPosition;
  launcher_label: string;
  greeting: string;
  theme: WidgetTheme;
  /** Whether an identity secret exists (it is shown only when created). */
  identity_secret_set: boolean;
  embed_snippet: string;
  hosted_url: string;
  created_at: string;
  updated_at: string;
}

export type WidgetPosition = 'left' | 'right';
export type WidgetTheme = 'system' | 'light' | 'dark';
export interface WidgetAppearance {
  color: string;
  position: WidgetPosition;
  launcher_label: string;
  greeting: string;
  theme: WidgetTheme;
}

export interface WebChatDeploymentInput {
  bot_id: string;
  channel: 'webchat';
  allowed_origins: string[];
  hosted_page_enabled?: boolean;
}

/** A deployment on a platform account; the integration must be `connected`. */
export interface IntegrationDeploymentInput {
  bot_id: string;
  integration_id: string;
}

export type DeploymentInput = WebChatDeploymentInput | IntegrationDeploymentInput;

/** How a platform's webhook reaches Switchboard: registered by us, or pasted into its dashboard. */
export type WebhookSetup =
  'set_webhook' | 'verify_token' | 'signing_secret' | 'public_key' | 'console_url' | 'none';

export interface CredentialField {
  name: string;
  label: string;
  /** Where to find the value, in words. */
  help: string;
  placeholder: string;
  /** Typed into a password field and never shown again. */
  secret: boolean;
  required: boolean;
}

/** Whether platforms can call this installation back (GET /api/integrations/platforms), and the setting to change. */
export interface PublicBaseUrl {
  url: string;
  reachable: boolean;
  problem:
    | 'missing'
    | 'invalid'
    | 'plain_http'
    | 'localhost'
    | 'loopback'
    | 'unspecified'
    | 'private_network'
    | null;
  message: string;
  setting: string;
  environment_variable: string;
}

/** A messaging platform and what connecting an account of it asks for (GET /api/integrations/platforms). */
export interface IntegrationPlatform {
  platform: string;
  name: string;
  fields: CredentialField[];
  webhook_setup: WebhookSetup;
  /** The read-only platform call that verifying makes (e.g. "getMe"). */
  verify_call: string | null;
}

export type IntegrationStatus = 'connected' | 'invalid' | 'needs_attention' | 'unverified';

/** Whether a credential is stored, and its last four characters masked; never the value. */
export interface CredentialState {
  set: boolean;
  hint: string | null;
}

export interface Integration {
  id: string;
  platform: string;
  name: string;
  status: IntegrationStatus;
  /** "" or words such as "Telegram rejected the token (401)". */
  status_reason: string;
  checked_at: string | null;
  /** What the platform says the account is, e.g. "@shop_bot". */
  account: string | null;
  credentials: Record<string, CredentialState>;
  webhook_url: string;
  webhook_registered_at: string | null;
  deployment_count: number;
  /** What happens to a reply whose send a crash left in doubt: sent again (at least once, the
   * default) or held for a person to resend or discard (at most once). ADR 0040. */
  in_doubt_policy?: InDoubtPolicy;
  created_at: string;
  updated_at: string;
}

export type InDoubtPolicy = 'resend' | 'hold';

export interface IntegrationInput {
  platform: string;
  name: string;
  credentials: Record<string, string>;
}

/** A credential that is absent or empty keeps its stored value. */
export interface IntegrationUpdate {
  name?: string;
  credentials?: Record<string, string>;
  in_doubt_policy?: InDoubtPolicy;
}

/** What the platform answered to a call made on the user's behalf. */
export interface PlatformAnswer {
  ok: boolean;
  /** In words, e.g. "Webhook was set" or "Bad Request: chat not found". */
  message: string;
  /** null when the platform could not be reached. */
  http_status: number | null;
}

export interface WebhookAnswer extends PlatformAnswer {
  integration: Integration;
}

export interface TestMessageAnswer extends PlatformAnswer {
  platform_message_id: string | null;
}

export interface Conversation {
  id: string;
  bot_id: string;
  bot_name: string;
  deployment_id: string | null;
  platform: string;
  external_user_id: string;
  display_name: string;
  status: 'open' | 'ended';
  started_at: string;
  last_message_at: string;
  first_response_at: string | null;
  message_count: number;
  last_message: string | null;
  /** The visitor's rating (1–5), when the bot asked for one and they gave it. */
  satisfaction_score: number | null;
  /** When and how it was resolved (ADR 0037; absent from servers before analytics). */
  resolved_at?: string | null;
  resolved_by?: 'user' | 'bot' | 'operator' | 'api' | null;
  /** The first conversion's time. */
  converted_at?: string | null;
  /** When the person was asked for a rating (with a reply, or after an operator's or the API's resolution). */
  rating_asked_at?: string | null;
  /** first_response_at − started_at. */
  first_response_ms?: number | null;
}

export interface Message {
  id: string;
  direction: 'in' | 'out';
  text: string;
  source: ReplySource | null;
  model: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  latency_ms: number | null;
  error: string | null;
  created_at: string;
}

export interface ConversationWithMessages extends Conversation {
  messages: Message[];
}

/** What the public web chat knows about its bot (GET /widget/:key). */
export interface WidgetInfo {
  bot: {
    name: string;
    greeting: string;
    avatar_color: string;
    avatar_url: string | null;
    /** Whether to ask the visitor to rate the conversation. */
    ask_satisfaction?: boolean;
  };
  status: DeploymentStatus;
  /** The sites that may show this chat (widget.js opens only there). */
  allowed_origins: string[];
  /** greeting: the one the chat shows (the deployment's, else the bot's). */
  appearance: WidgetAppearance;
  /** The caller's token when it sent a valid one, otherwise a new one to keep. */
  visitor_token: string;
}

export interface WidgetHistory {
  session_id: string | null;
  messages: { direction: 'in' | 'out'; text: string; created_at: string }[];
}

export interface WidgetAnswer {
  session_id: string;
  reply: { text: string; source: ReplySource };
  /** A streamed answer broke off mid-way: the reply is the bot's fallback message. */
  interrupted?: boolean;
}

/** A reply job's place in its life: queued → processing → succeeded | failed → … → dead; or cancelled. */
export const JOB_STATES = [
  'queued',
  'processing',
  'succeeded',
  'failed',
  'dead',
  'cancelled',
  'skipped',
  'in_doubt',
] as const;
/** recipient: the platform will not deliver to this person or chat (the account is fine); credentials:
 * the platform refused the account's credentials; request: it refused the request; unavailable: the
 * attempts ran out; setup: no bot or no usable account. */
export type JobReasonKind = 'recipient' | 'credentials' | 'request' | 'unavailable' | 'setup' | 'quota';
export type JobState = (typeof JOB_STATES)[number];

/** One stored platform delivery and the reply job it started (GET /api/jobs). */
export interface Job {
  id: string;
  state: JobState;
  platform: string;
  integration_id: string;
  integration_name: string;
  bot_id: string | null;
  bot_name: string | null;
  event_id: string;
  external_user_id: string;
  external_message_id: string;
  inbound_text: string;
  reply_text: string | null;
  reply_source: ReplySource | null;
  platform_message_id: string | null;
  attempts: number;
  max_attempts: number;
  next_run_at: string | null;
  last_error: string | null;
  /** Why a dead job stopped; null while it can still succeed (and for jobs that stopped before this was recorded). */
  reason_kind: JobReasonKind | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  /** Receipt to the platform accepting the reply. */
  latency_ms: number | null;
  /** When the last send started (marked before the batch's sends; ADR 0040). */
  send_started_at?: string | null;
}

/** One attempt or one change of state of a job; append-only. */
export interface JobLog {
  at: string;
  worker: string;
  kind: 'attempt' | 'state';
  from_state: JobState | null;
  to_state: JobState | null;
  outcome: string;
  http_status: number | null;
  latency_ms: number | null;
  error: string | null;
}

/** A delivery as received; anything that looks like a token or signature is masked in `payload`. */
export interface WebhookEvent {
  id: string;
  platform: string;
  integration_id: string;
  idempotency_key: string;
  kind: string;
  status: 'accepted' | 'ignored';
  payload_hash: string;
  received_at: string;
  /** The body as received (JSON text, form data…), or already parsed JSON. */
  payload: unknown;
}

export interface JobDetail extends Job {
  logs: JobLog[];
  event: WebhookEvent | null;
}

/** The filters of GET /api/jobs, its export and POST /api/jobs/retry. */
export interface JobFilters {
  state?: JobState;
  bot_id?: string;
  platform?: string;
  integration_id?: string;
  /** Event id, platform message id, external user id or message id. */
  q?: string;
  /** RFC 3339, on created_at. */
  from?: string;
  /** RFC 3339, on created_at. */
  to?: string;
}

export interface JobPage {
  items: Job[];
  /** How many jobs match the filters across every page. */
  total: number;
  next_cursor: string | null;
}

export interface JobStats {
  counts: Record<JobState, number>;
  last_hour: {
    received: number;
    succeeded: number;
    failed: number;
    dead: number;
    /** Answered with the over-quota notice (past the monthly message quota). */
    skipped?: number;
    p50_ms: number | null;
    p95_ms: number | null;
    per_minute: { minute: string; received: number; succeeded: number; failed: number }[];
  };
}

export interface SimulateAnswer {
  event_id: string;
  job_id: string;
  /** The delivery was already stored: nothing new was queued. */
  duplicate: boolean;
}

export interface List<T> {
  items: T[];
}

export interface SignInInput {
  email: string;
  password: string;
}

/** The answer to a right password when the account has two-factor sign-in on: no session yet. */
export interface TwoFactorChallenge {
  two_factor_required: true;
  /** Sent with the code to POST /api/auth/signin/two-factor. */
  challenge: string;
  expires_at: string;
}

export function isTwoFactorChallenge(answer: Session | TwoFactorChallenge): answer is TwoFactorChallenge {
  return 'two_factor_required' in answer && answer.two_factor_required === true;
}

export interface SignUpInput extends SignInInput {
  name: string;
  /** The token of a pending invitation for the same address: the account starts verified. */
  invite_token?: string;
}

export interface PasswordChangeInput {
  current_password: string;
  new_password: string;
}

/** One of the user's signed-in sessions (GET /api/auth/sessions). */
export interface SessionInfo {
  id: string;
  /** A short name from the user agent, such as "Chrome on macOS". */
  device: string;
  user_agent: string;
  ip: string;
  created_at: string;
  last_seen_at: string;
  /** The session making this request. */
  current: boolean;
}

export interface ProfileUpdate {
  name?: string;
  avatar_url?: string | null;
  timezone?: string;
}

/** A failed API call: the HTTP status and the server's error code, message and field errors. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string>;
  /** Seconds to wait before trying again (from Retry-After on 429). */
  readonly retryAfter: number | null;
  /** The envelope's details (e.g. {limit, used, plan} of plan_limit_reached). */
  readonly details: Record<string, unknown>;

  constructor(
    status: number,
    code: string,
    message: string,
    fields: Record<string, string> = {},
    retryAfter: number | null = null,
    details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.retryAfter = retryAfter;
    this.details = details;
  }
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

/** A refusal because of the organisation's plan (402): its message names the limit and the way to upgrade. */
export function isPlanError(error: unknown): error is ApiError {
  return (
    isApiError(error, 402) ||
    (isApiError(error) && ['plan_limit_reached', 'feature_not_in_plan'].includes(error.code))
  );
}

let csrfToken: string | null = null;

const FALLBACK_MESSAGES: Record<number, string> = {
  401: 'You are not signed in.',
  403: 'You are not allowed to do this.',
  404: 'Not found.',
  429: 'Too many attempts.',
  503: 'The server is unavailable right now. Try again shortly.',
};

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfterHeader = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
  const retryAfter = Number.isFinite(retryAfterHeader) ? retryAfterHeader : null;
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's HTML error page, an empty body): fall back to the status.
  }
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  // Field errors sit in details.fields; a bare error.fields is accepted too.
  const details = error?.details as { fields?: unknown } | undefined;
  const rawFields = details?.fields ?? error?.fields;
  const fields = rawFields && typeof rawFields === 'object' ? (rawFields as Record<string, string>) : {};
  const allDetails =
    error?.details && typeof error.details === 'object' ? (error.details as Record<string, unknown>) : {};
  const code = typeof error?.code === 'string' ? error.code : 'http_error';
  let message =
    typeof error?.message === 'string'
      ? error.message
      : (FALLBACK_MESSAGES[response.status] ??
        `The server answered ${response.status}. Try again in a moment.`);
  // A plan's limit: the same clear words wherever a create fails (bots, integrations, invites, …).
  if (code === 'plan_limit_reached') message = planLimitMessage(await withPlanNumbers(allDetails));
  else if (code === 'feature_not_in_plan') message = featureNotInPlanMessage(allDetails);
  return new ApiError(response.status, code, message, fields, retryAfter, allDetails);
}

/**
 * The details of plan_limit_reached name the limit, the count used and the plan; "allows N" needs the
 * plan's number, looked up in GET /api/billing/plans (any signed-in user may read it) when absent.
 */
async function withPlanNumbers(details: PlanLimitDetails): Promise<PlanLimitDetails> {
  if (typeof details.allowed === 'number' || typeof details.limit !== 'string') return details;
  try {
    const response = await fetch('/api/billing/plans', {
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    });
    if (!response.ok) return details;
    const body = (await response.json()) as unknown;
    const plans = (
      Array.isArray(body)
        ? body
        : ((body as { items?: unknown; plans?: unknown })?.plans ?? (body as { items?: unknown })?.items)
    ) as { key?: string; name?: string; limits?: Record<string, number | null> }[] | undefined;
    const plan = Array.isArray(plans)
      ? plans.find((candidate) => candidate?.key === details.plan)
      : undefined;
    const allowed = plan?.limits?.[details.limit];
    return {
      ...details,
      ...(typeof allowed === 'number' ? { allowed } : {}),
      ...(typeof plan?.name === 'string' ? { plan_name: plan.name } : {}),
    };
  } catch {
    return details;
  }
}

/**
 * Asks the person for their password again when the server answers 403 reauthentication_required
 * (changing the password, creating owner or admin API keys); resolves true once they proved it, false
 * when they gave up. Registered by <ReauthenticationDialog />; without one, the error goes to the caller.
 */
type ReauthenticationHandler = () => Promise<boolean>;
let reauthenticate: ReauthenticationHandler | null = null;

export function setReauthenticationHandler(handler: ReauthenticationHandler | null) {
  reauthenticate = handler;
}

async function request<T>(method: string, path: string, body?: unknown, retried = false): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Cannot reach the server. Check your connection and try again.');
  }
  if (!response.ok) {
    const error = await toApiError(response);
    // Once the password is proved again, the same request runs once more.
    if (error.code === 'reauthentication_required' && reauthenticate && !retried && (await reauthenticate()))
      return request<T>(method, path, body, true);
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/**
 * POSTs `body` asking for the answer as Server-Sent Events (Accept: text/event-stream), with the
 * session's CSRF token like any write. Resolves with the response once the server took the request
 * (a stream, or JSON from a server that does not stream); errors found before the exchange starts
 * come back as JSON envelopes and reject as ApiError. features/chat/reply-stream.ts reads the events.
 */
async function postForStream(path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'text/event-stream', 'Content-Type': 'application/json' };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers,
      credentials: 'same-origin',
      body: JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'network_error', 'Cannot reach the server. Check your connection and try again.');
  }
  if (!response.ok) throw await toApiError(response);
  return response;
}

async function remember(sessionPromise: Promise<Session>): Promise<Session> {
  const session = await sessionPromise;
  csrfToken = session.csrf_token;
  return session;
}

const seg = encodeURIComponent;

function query(params: object): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  auth: {
    session: () => remember(request<Session>('GET', '/api/auth/session')),
    /** A session, or a challenge to answer with a code (features/two-factor/api.ts). */
    signIn: async (input: SignInInput) => {
      const answer = await request<Session | TwoFactorChallenge>('POST', '/api/auth/signin', input);
      return isTwoFactorChallenge(answer) ? answer : remember(Promise.resolve(answer));
    },
    signUp: (input: SignUpInput) => remember(request<Session>('POST', '/api/auth/signup', input)),
    signOut: async () => {
      try {
        await request<void>('POST', '/api/auth/signout');
      } finally {
        csrfToken = null;
      }
    },
    changePassword: (input: PasswordChangeInput) => request<void>('POST', '/api/auth/password', input),
    /** Proves the password again for sensitive actions; 422 with fields.password when it is wrong. */
    /** The password, or (with two-factor on) a code from the authenticator app or a recovery code. */
    reauthenticate: (proof: { password: string } | { code: string }) =>
      request<void>('POST', '/api/auth/reauthenticate', proof, true),
    sessions: () => request<List<SessionInfo>>('GET', '/api/auth/sessions'),
    revokeSession: (sessionId: string) => request<void>('DELETE', `/api/auth/sessions/${seg(sessionId)}`),
    revokeOtherSessions: () => request<void>('POST', '/api/auth/sessions/revoke-others'),
    signOutEverywhere: async () => {
      try {
        await request<void>('POST', '/api/auth/signout-everywhere');
      } finally {
        csrfToken = null;
      }
    },
    switchOrg: (orgId: string) =>
      remember(request<Session>('POST', '/api/auth/switch-org', { org_id: orgId })),
  },
  orgs: {
    list: () => request<List<OrganizationWithRole>>('GET', '/api/orgs'),
    create: (name: string) => request<OrganizationWithRole>('POST', '/api/orgs', { name }),
    get: (orgId: string) => request<OrganizationWithRole>('GET', `/api/orgs/${seg(orgId)}`),
    update: (orgId: string, changes: { name?: string; require_two_factor?: boolean; time_zone?: string }) =>
      request<OrganizationWithRole>('PATCH', `/api/orgs/${seg(orgId)}`, changes),
    remove: (orgId: string) => request<void>('DELETE', `/api/orgs/${seg(orgId)}`),
    transferOwnership: (orgId: string, userId: string) =>
      request<void>('POST', `/api/orgs/${seg(orgId)}/transfer-ownership`, { user_id: userId }),
  },
  members: {
    list: (orgId: string) => request<List<Member>>('GET', `/api/orgs/${seg(orgId)}/members`),
    update: (orgId: string, userId: string, role: Role) =>
      request<Member>('PATCH', `/api/orgs/${seg(orgId)}/members/${seg(userId)}`, { role }),
    /** Removes a member; the caller's own id means leaving the organisation. */
    remove: (orgId: string, userId: string) =>
      request<void>('DELETE', `/api/orgs/${seg(orgId)}/members/${seg(userId)}`),
  },
  invites: {
    list: (orgId: string) => request<List<Invite>>('GET', `/api/orgs/${seg(orgId)}/invites`),
    create: (orgId: string, input: { email: string; role: Role }) =>
      request<Invite>('POST', `/api/orgs/${seg(orgId)}/invites`, input),
    resend: (orgId: string, inviteId: string) =>
      request<Invite>('POST', `/api/orgs/${seg(orgId)}/invites/${seg(inviteId)}/resend`),
    revoke: (orgId: string, inviteId: string) =>
      request<void>('DELETE', `/api/orgs/${seg(orgId)}/invites/${seg(inviteId)}`),
    preview: (token: string) => request<InvitePreview>('GET', `/api/invites/preview${query({ token })}`),
    accept: (token: string) => remember(request<Session>('POST', '/api/invites/accept', { token })),
  },
  apiKeys: {
    list: (orgId: string) => request<List<ApiKey>>('GET', `/api/orgs/${seg(orgId)}/api-keys`),
    create: (orgId: string, input: ApiKeyInput) =>
      request<ApiKey>('POST', `/api/orgs/${seg(orgId)}/api-keys`, input),
    revoke: (orgId: string, keyId: string) =>
      request<void>('DELETE', `/api/orgs/${seg(orgId)}/api-keys/${seg(keyId)}`),
  },
  audit: {
    list: (orgId: string, filters: AuditFilters = {}) =>
      request<AuditPage>('GET', `/api/orgs/${seg(orgId)}/audit${query(filters)}`),
  },
  permissions: {
    get: (orgId?: string) =>
      request<Permissions>(
        'GET',
        orgId ? `/api/permissions?org_id=${encodeURIComponent(orgId)}` : '/api/permissions',
      ),
  },
  admin: {
    organizations: () => request<List<AdminOrganization>>('GET', '/api/admin/organizations'),
    users: () => request<List<AdminUser>>('GET', '/api/admin/users'),
  },
  profile: {
    get: () => request<Profile>('GET', '/api/profile'),
    update: (changes: ProfileUpdate) => request<Profile>('PATCH', '/api/profile', changes),
  },
  debug: {
    get: () => request<DebugReport>('GET', '/api/debug'),
    mailbox: () => request<List<Mail>>('GET', '/api/debug/mailbox'),
  },
  bots: {
    list: (filters: BotFilters = {}) => request<List<Bot>>('GET', `/api/bots${query(filters)}`),
    get: (botId: string) => request<Bot>('GET', `/api/bots/${seg(botId)}`),
    create: (input: BotInput) => request<Bot>('POST', '/api/bots', input),
    update: (botId: string, changes: BotInput) => request<Bot>('PATCH', `/api/bots/${seg(botId)}`, changes),
    remove: (botId: string) => request<void>('DELETE', `/api/bots/${seg(botId)}`),
    duplicate: (botId: string) => request<Bot>('POST', `/api/bots/${seg(botId)}/duplicate`),
    /** The test console: a new session when sessionId is absent. */
    chat: (botId: string, text: string, sessionId?: string) =>
      request<ChatAnswer>('POST', `/api/bots/${seg(botId)}/chat`, {
        text,
        ...(sessionId ? { session_id: sessionId } : {}),
      }),
  },
  ai: {
    status: () => request<AiStatus>('GET', '/api/ai/status'),
  },
  templates: {
    list: (filters: { q?: string; category?: string } = {}) =>
      request<List<Template>>('GET', `/api/templates${query(filters)}`),
    get: (templateId: string) => request<Template>('GET', `/api/templates/${seg(templateId)}`),
    create: (input: TemplateInput) => request<Template>('POST', '/api/templates', input),
    update: (templateId: string, changes: TemplateInput) =>
      request<Template>('PATCH', `/api/templates/${seg(templateId)}`, changes),
    remove: (templateId: string) => request<void>('DELETE', `/api/templates/${seg(templateId)}`),
    preview: (input: TemplatePreviewInput) =>
      request<{ text: string }>('POST', '/api/templates/preview', input),
  },
  deployments: {
    list: (filters: { bot_id?: string } = {}) =>
      request<List<Deployment>>('GET', `/api/deployments${query(filters)}`),
    create: (input: DeploymentInput) => request<Deployment>('POST', '/api/deployments', input),
    update: (
      deploymentId: string,
      changes: {
        status?: DeploymentStatus;
        allowed_origins?: string[];
        hosted_page_enabled?: boolean;
      } & Partial<WidgetAppearance>,
    ) => request<Deployment>('PATCH', `/api/deployments/${seg(deploymentId)}`, changes),
    /** A new identity secret for signed visitor identities; shown this once. */
    rotateIdentitySecret: (deploymentId: string) =>
      request<{ identity_secret: string }>('POST', `/api/deployments/${seg(deploymentId)}/identity-secret`),
    remove: (deploymentId: string) => request<void>('DELETE', `/api/deployments/${seg(deploymentId)}`),
  },
  integrations: {
    platforms: () =>
      request<List<IntegrationPlatform> & { public_base_url?: PublicBaseUrl }>(
        'GET',
        '/api/integrations/platforms',
      ),
    list: (filters: { platform?: string } = {}) =>
      request<List<Integration>>('GET', `/api/integrations${query(filters)}`),
    get: (integrationId: string) => request<Integration>('GET', `/api/integrations/${seg(integrationId)}`),
    create: (input: IntegrationInput) => request<Integration>('POST', '/api/integrations', input),
    update: (integrationId: string, changes: IntegrationUpdate) =>
      request<Integration>('PATCH', `/api/integrations/${seg(integrationId)}`, changes),
    /** Removes the account and every deployment on it. */
    remove: (integrationId: string) => request<void>('DELETE', `/api/integrations/${seg(integrationId)}`),
    /** Asks the platform whether the stored credentials work; answers the integration with its new status. */
    verify: (integrationId: string) =>
      request<Integration>('POST', `/api/integrations/${seg(integrationId)}/verify`),
    /** Telegram only: registers the webhook URL with setWebhook. */
    registerWebhook: (integrationId: string) =>
      request<WebhookAnswer>('POST', `/api/integrations/${seg(integrationId)}/webhook`),
    sendTestMessage: (integrationId: string, input: { recipient: string; text: string }) =>
      request<TestMessageAnswer>('POST', `/api/integrations/${seg(integrationId)}/test-message`, input),
    /** A correctly signed test delivery to this server's own webhook endpoint. */
    simulate: (integrationId: string, input: { text: string; external_user_id?: string }) =>
      request<SimulateAnswer>('POST', `/api/integrations/${seg(integrationId)}/simulate`, input),
  },
  jobs: {
    list: (filters: JobFilters & { limit?: number; cursor?: string } = {}) =>
      request<JobPage>('GET', `/api/jobs${query(filters)}`),
    stats: () => request<JobStats>('GET', '/api/jobs/stats'),
    get: (jobId: string) => request<JobDetail>('GET', `/api/jobs/${seg(jobId)}`),
    /** Queues a failed, dead or cancelled job to run now (409 otherwise). */
    retry: (jobId: string) => request<Job>('POST', `/api/jobs/${seg(jobId)}/retry`),
    /** Stops a queued or failed job (409 otherwise). */
    cancel: (jobId: string) => request<Job>('POST', `/api/jobs/${seg(jobId)}/cancel`),
    /** Sends a reply held in doubt once more (409 for a job not in doubt). */
    resend: (jobId: string) => request<Job>('POST', `/api/jobs/${seg(jobId)}/resend`),
    /** Ends a reply held in doubt without sending it again (409 for a job not in doubt). */
    discard: (jobId: string) => request<Job>('POST', `/api/jobs/${seg(jobId)}/discard`),
    /** Queues again every matching job in `state` (the server's default is dead). */
    retryMatching: (filters: JobFilters) => request<{ count: number }>('POST', '/api/jobs/retry', filters),
    /** Where the browser downloads the matching jobs with their attempt logs. */
    exportUrl: (filters: JobFilters, format: 'jsonl' | 'csv') =>
      `/api/jobs/export${query({ format, ...filters })}`,
  },
  webhookEvents: {
    get: (eventId: string) => request<WebhookEvent>('GET', `/api/webhook-events/${seg(eventId)}`),
  },
  conversations: {
    list: (filters: { bot_id?: string; limit?: number } = {}) =>
      request<List<Conversation>>('GET', `/api/conversations${query(filters)}`),
    get: (conversationId: string) =>
      request<ConversationWithMessages>('GET', `/api/conversations/${seg(conversationId)}`),
    /** Resolved now by the person (idempotent: a resolved one stays as first resolved). */
    resolve: (conversationId: string) =>
      request<Conversation>('POST', `/api/conversations/${seg(conversationId)}/resolve`),
  },
  /** The public web chat: no session, no CSRF token. */
  widget: {
    info: (key: string) => request<WidgetInfo>('GET', `/widget/${seg(key)}`),
    send: (key: string, visitorToken: string, text: string) =>
      request<WidgetAnswer>('POST', `/widget/${seg(key)}/messages`, { visitor_token: visitorToken, text }),
    rate: (key: string, visitorToken: string, sessionId: string, score: number) =>
      request<void>('POST', `/widget/${seg(key)}/rating`, {
        visitor_token: visitorToken,
        session_id: sessionId,
        score,
      }),
  },
};

/** For the API modules of features (features/<name>/api.ts, DESIGN.md §8): the same fetch, CSRF and errors. */
export { request, remember, postForStream, toApiError };
