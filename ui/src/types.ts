// Shapes of the query API (docs/api.md). Field names are the API's snake_case.

export type RunStatus = 'success' | 'failure' | 'partial' | 'running';
export type StepStatus = 'ok' | 'error' | 'timeout' | 'cancelled' | string;
export type ContentPolicy = 'metadata-only' | 'redacted' | 'full' | string;

export interface Project {
  project_id: string;
  name: string;
  content_policy: ContentPolicy;
  /** Days raw runs and steps are kept; 0 forever, null the server's default. */
  raw_retention_days?: number | null;
  /** Days rollups are kept; 0 forever, null the server's default. */
  rollup_retention_days?: number | null;
}

export interface Me {
  username: string;
  owner?: boolean;
  sso?: boolean;
  projects: (Project & { role?: 'viewer' | 'member' | 'admin' })[];
}

export interface Providers {
  password: boolean;
  oidc: { name: string; login_path: string } | null;
}

export interface ApiKey {
  public_id: string;
  project_id: string;
  name: string | null;
  scopes: string[];
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  status: 'active' | 'expired' | 'revoked';
}

export interface Invite {
  invite_id: string;
  project_id: string;
  role: string;
  created_by?: string;
  created_at: string;
  expires_at: string;
  token?: string;
  path?: string;
  project_name?: string;
}

export type ProjectRole = 'viewer' | 'member' | 'admin';

export interface Member {
  username: string;
  role: ProjectRole;
  disabled: boolean;
  sso: boolean;
  created_at: string;
}

export interface UserAccount {
  username: string;
  owner: boolean;
  disabled: boolean;
  sso: boolean;
  created_at: string;
  projects: { project_id: string; role: ProjectRole }[];
}

export interface AuditEvent {
  id: string;
  time: string;
  actor: string;
  action: string;
  project_id: string | null;
  target: string | null;
  address: string | null;
  detail: Record<string, unknown> | null;
}

export interface FailureRef {
  type: string;
  code: string | null;
  step_id?: string | null;
  message?: string | null;
}

export interface RunSummary {
  run_id: string;
  agent_id: string | null;
  agent_version: string | null;
  environment: string | null;
  name: string | null;
  session_id: string | null;
  labels: Record<string, string> | null;
  status: RunStatus | string;
  start_time: string | null;
  end_time: string | null;
  duration_ms: number | null;
  step_count: number;
  error_count: number;
  retry_count: number;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  failure: FailureRef | null;
}

export interface RunPage {
  runs: RunSummary[];
  next_cursor: string | null;
  /** Runs that started before this may have been deleted by retention; null when none were. */
  raw_data_from?: string | null;
}

export interface StepError {
  type: string | null;
  code: string | null;
  message?: string | null;
}

export interface StepSummary {
  step_id: string;
  parent_step_id: string | null;
  seq: number;
  type: string;
  name: string | null;
  start_time: string | null;
  end_time: string | null;
  duration_ms: number | null;
  status: StepStatus;
  attempt: number | null;
  retry_of: string | null;
  model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  error: StepError | null;
}

export interface StepEvent {
  name: string;
  time: string | null;
  attributes: unknown;
}

export interface StepDetail extends StepSummary {
  provider: string | null;
  time_to_first_token_ms: number | null;
  cache_read_tokens?: number | null;
  reasoning_tokens?: number | null;
  metadata: unknown;
  input?: unknown;
  output?: unknown;
  events: StepEvent[] | null;
  /** Events recorded for the step; more than `events.length` when the list was capped. */
  event_count?: number | null;
  normalization: Record<string, string> | null;
}

/** A score (or LangSmith feedback, or Langfuse score) of a run or one of its steps. */
export interface Score {
  score_id: string;
  run_id: string;
  step_id: string | null;
  name: string;
  value: number | null;
  string_value: string | null;
  comment: string | null;
  source: string;
  metadata: Record<string, unknown>;
  created_at: string;
}

export interface RunDetail {
  run: RunSummary & { metadata?: unknown; input?: unknown; output?: unknown };
  failure: FailureRef | null;
  steps: StepSummary[];
}

export interface Latency {
  avg?: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface StepTypeStats {
  type: string;
  count: number;
  error_count: number;
  avg_ms: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
}

export interface FailureCount {
  type: string;
  code: string | null;
  count: number;
}

export interface RunCounts {
  total: number;
  success: number;
  failure: number;
  partial: number;
  running: number;
}

export interface Stats {
  runs: RunCounts;
  error_rate: number;
  latency_ms: Latency;
  by_step_type: StepTypeStats[];
  failures: FailureCount[];
  retries: number;
  tokens: { input: number; output: number };
  cost_usd: number;
  /** Steps that name a model, per model, most expensive first (absent from older servers). */
  by_model?: ModelCost[];
}

export interface ModelCost {
  model: string;
  steps: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

export interface ModelPrice {
  model: string;
  provider: string | null;
  effective_from: string;
  input: number;
  output: number;
  cached_input: number | null;
  reasoning: number | null;
  source?: 'server' | 'project';
}

export interface UnknownModel {
  model: string;
  steps: number;
  input_tokens: number;
  output_tokens: number;
  sent_cost_usd: number;
}

export interface TimePoint {
  start_time: string;
  runs: RunCounts;
  error_rate: number;
  latency_ms: Latency;
  retries: number;
  tokens: { input: number; output: number };
  cost_usd: number;
}

export interface Timeseries {
  bucket_ms: number;
  points: TimePoint[];
}

/** One version in a comparison: its `/v1/stats` body, plus the version and per-run figures. */
export interface CompareSide extends Stats {
  version: string;
  per_run?: { retries: number | null; input_tokens: number | null; output_tokens: number | null; cost_usd: number | null } | null;
}

export interface Compare {
  agent: string;
  a: CompareSide;
  b: CompareSide;
  by_step_type: { type: string; a: StepTypeStats | null; b: StepTypeStats | null }[];
  failures: { type: string; code: string | null; a: number; b: number }[];
  /** Absent from servers older than the significance tests. */
  significance?: CompareSignificance;
}

/** B against A on a metric where lower is better, as the server's test decides it. */
export type SignificanceVerdict = 'better' | 'worse' | 'no_difference' | 'not_enough_data';

/** Two shares of runs compared with a two-proportion z-test; interval and p-value are null under min_runs. */
export interface ProportionTest {
  a: number | null;
  b: number | null;
  diff: number | null;
  ci_low: number | null;
  ci_high: number | null;
  p_value: number | null;
  verdict: SignificanceVerdict;
  method: string;
}

/** A run latency quantile (ms) of A and B, with each side's 95 % interval and the test of their difference. */
export interface LatencyTest extends ProportionTest {
  a_ci_low: number | null;
  a_ci_high: number | null;
  b_ci_low: number | null;
  b_ci_high: number | null;
  a_runs: number;
  b_runs: number;
  min_runs: number;
  tolerance: number;
}

export interface CompareSignificance {
  alpha: number;
  min_runs: number;
  error_rate: ProportionTest;
  failures: (ProportionTest & { type: string; code: string | null })[];
  latency_p50_ms: LatencyTest;
  latency_p95_ms: LatencyTest & { a_p50: number | null; b_p50: number | null };
  cost_per_run_usd: { a: number | null; b: number | null; diff?: number | null; ci_low?: number | null; ci_high?: number | null; p_value?: number | null; verdict: SignificanceVerdict; method: string; reason?: string };
}

export interface Agent {
  agent_id: string;
  versions: string[];
  environments: string[];
  run_count: number;
  last_seen: string | null;
}

export type AlertKind = 'budget' | 'error_rate' | 'latency_p95' | 'failure_count' | 'no_data' | 'version_worse';

/** A rule as sent: fields that do not apply to the kind are left out. */
export interface AlertRuleInput {
  name: string;
  kind: AlertKind;
  agent?: string | null;
  environment?: string | null;
  step_type?: string | null;
  failure_type?: string | null;
  failure_code?: string | null;
  period?: 'day' | 'week' | 'month' | null;
  amount_usd?: number | null;
  thresholds?: number[];
  window_seconds?: number;
  min_runs?: number;
  threshold?: number | null;
  for_seconds?: number;
  channels?: string[];
  enabled?: boolean;
  /** version_worse: the version watched, the one it is compared with, and the metric tested. */
  version?: string | null;
  baseline?: string | null;
  metric?: 'error_rate' | 'latency_p95' | 'cost_per_run' | null;
}

export interface AlertRule extends AlertRuleInput {
  id: string;
  thresholds: number[];
  window_seconds: number;
  min_runs: number;
  for_seconds: number;
  channels: string[];
  enabled: boolean;
}

export interface CurrentAlert {
  rule_id: string;
  rule_name: string;
  kind: string;
  key: string;
  state: 'pending' | 'firing';
  since: string;
  starts_at: string | null;
  value: number;
  threshold: number;
  silenced: boolean;
}

export interface AlertTransition {
  rule_id: string;
  rule_name: string;
  kind: string;
  key: string;
  from: string;
  to: string;
  value: number;
  threshold: number;
  labels: Record<string, string>;
  silenced: boolean;
  at: string;
  summary: string;
}

export interface AlertSilence {
  id: string;
  rule_id: string | null;
  ends_at: string;
  comment: string | null;
  created_at: string;
  active: boolean;
}

export interface AlertChannel {
  id: string;
  name: string;
  type: 'webhook' | 'slack';
  url: string;
  has_secret: boolean;
  timeout_ms: number;
  max_attempts: number;
  backoff_ms: number;
}

export interface AlertDelivery {
  channel_id: string;
  rule_id: string;
  state: string;
  event_at: string;
  status: 'delivered' | 'failed';
  response_code: number | null;
  attempts: number;
  error: string | null;
  at: string;
}
