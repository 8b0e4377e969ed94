import type { AlertChannel, AlertDelivery, AlertRule, AlertRuleInput, AlertSilence, AlertTransition, CurrentAlert, Agent, ApiKey, AuditEvent, Compare, Invite, Me, Member, ModelPrice, Project, Providers, RunDetail, RunPage, Score, Stats, StepDetail, Timeseries, UnknownModel, UserAccount } from './types';

/** An error answered by the server: the HTTP status plus its `{error, message}` body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Params = Record<string, string | string[] | number | null | undefined>;

/** Listeners told when any call answers 401, so the app can show the login page. */
const unauthorizedListeners = new Set<() => void>();

export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export function queryString(params: Params): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      for (const v of value) if (v !== '') search.append(key, v);
    } else {
      search.append(key, String(value));
    }
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

async function request<T>(method: string, path: string, params: Params = {}, body?: unknown, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path + queryString(params), {
      method,
      credentials: 'same-origin',
      // X-Sextant-Csrf: the server refuses state changes with the session cookie without it
      headers: body === undefined
        ? { Accept: 'application/json', 'X-Sextant-Csrf': '1' }
        : { Accept: 'application/json', 'X-Sextant-Csrf': '1', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'The server could not be reached. Is it running?');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!response.ok) {
    const err = (json ?? {}) as { error?: string; message?: string };
    if (response.status === 401 && path !== '/v1/auth/login') unauthorizedListeners.forEach((l) => l());
    throw new ApiError(response.status, err.error ?? `http_${response.status}`, err.message ?? `${method} ${path} failed with HTTP ${response.status}`);
  }
  return json as T;
}

/** The query API, each call scoped to one project (the UI session may read every project). */
export function projectApi(project: string) {
  const p = (params: Params = {}) => ({ ...params, project });
  return {
    runs: (params: Params, signal?: AbortSignal) => request<RunPage>('GET', '/v1/runs', p(params), undefined, signal),
    run: (runId: string, signal?: AbortSignal) => request<RunDetail>('GET', `/v1/runs/${encodeURIComponent(runId)}`, p(), undefined, signal),
    step: (runId: string, stepId: string, signal?: AbortSignal) =>
      request<StepDetail>('GET', `/v1/runs/${encodeURIComponent(runId)}/steps/${encodeURIComponent(stepId)}`, p(), undefined, signal),
    scores: (runId: string, signal?: AbortSignal) =>
      request<{ scores: Score[]; next_offset: number | null }>('GET', '/v1/scores', p({ run_id: runId, limit: 1000 }), undefined, signal),
    stats: (params: Params, signal?: AbortSignal) => request<Stats>('GET', '/v1/stats', p(params), undefined, signal),
    timeseries: (params: Params, signal?: AbortSignal) => request<Timeseries>('GET', '/v1/timeseries', p(params), undefined, signal),
    compare: (params: Params, signal?: AbortSignal) => request<Compare>('GET', '/v1/compare', p(params), undefined, signal),
    agents: (signal?: AbortSignal) => request<{ agents: Agent[] }>('GET', '/v1/agents', p(), undefined, signal),
    /** A link that downloads the runs matching `params` (or one run: `run_id`) as JSON Lines or CSV. */
    exportUrl: (params: Params, format: 'jsonl' | 'csv') => '/v1/export' + queryString(p({ ...params, format })),
  };
}

export type ProjectApi = ReturnType<typeof projectApi>;

/** Team access of one project: keys, invites, audit log (what the caller's role allows). */
export function accessApi(project: string) {
  const base = `/v1/projects/${encodeURIComponent(project)}`;
  return {
    keys: () => request<{ api_keys: ApiKey[] }>('GET', `${base}/api-keys`),
    createKey: (scopes: string[], name: string) => request<ApiKey & { secret: string }>('POST', `${base}/api-keys`, {}, { scopes, name }),
    revokeKey: (publicId: string) => request<void>('DELETE', `${base}/api-keys/${encodeURIComponent(publicId)}`),
    invite: (role: string) => request<Invite>('POST', `${base}/invites`, {}, { role }),
    audit: (params: Params) => request<{ events: AuditEvent[]; next_cursor: string | null }>('GET', '/v1/audit', { ...params, project }),
    members: () => request<{ members: Member[] }>('GET', `${base}/members`),
    putMember: (username: string, role: string) => request<unknown>('PUT', `${base}/members/${encodeURIComponent(username)}`, {}, { role }),
    removeMember: (username: string) => request<void>('DELETE', `${base}/members/${encodeURIComponent(username)}`),
  };
}

/** A project's own settings (admin role). */
export function projectSettingsApi(project: string) {
  return {
    update: (change: { raw_retention_days?: number | null; rollup_retention_days?: number | null }) =>
      request<Project>('PATCH', `/v1/projects/${encodeURIComponent(project)}`, {}, change),
  };
}

/** Model prices of one project: the table in force, the project's own rows, and unpriced models. */
export function pricesApi(project: string) {
  const p = { project };
  return {
    list: () => request<{ unit: string; prices: ModelPrice[] }>('GET', '/v1/prices', p),
    put: (price: ModelPrice) => request<{ accepted: number }>('PUT', '/v1/prices', p, price),
    remove: (model: string, effectiveFrom: string) =>
      request<void>('DELETE', '/v1/prices', { ...p, model, effective_from: effectiveFrom }),
    unknown: () => request<{ models: UnknownModel[] }>('GET', '/v1/prices/unknown', p),
  };
}

/** Alerting of one project: rules, current alerts, history, silences, channels, deliveries. */
export function alertsApi(project: string) {
  const p = { project };
  return {
    rules: () => request<{ rules: AlertRule[] }>('GET', '/v1/alerts/rules', p),
    createRule: (rule: AlertRuleInput) => request<AlertRule>('POST', '/v1/alerts/rules', p, rule),
    updateRule: (id: string, rule: AlertRuleInput) =>
      request<AlertRule>('PUT', `/v1/alerts/rules/${encodeURIComponent(id)}`, p, rule),
    deleteRule: (id: string) => request<void>('DELETE', `/v1/alerts/rules/${encodeURIComponent(id)}`, p),
    current: () => request<{ alerts: CurrentAlert[] }>('GET', '/v1/alerts', p),
    history: () => request<{ history: AlertTransition[] }>('GET', '/v1/alerts/history', { ...p, limit: 50 }),
    silences: () => request<{ silences: AlertSilence[] }>('GET', '/v1/alerts/silences', p),
    createSilence: (s: { rule_id: string | null; ends_at: string; comment: string | null }) =>
      request<AlertSilence>('POST', '/v1/alerts/silences', p, s),
    deleteSilence: (id: string) => request<void>('DELETE', `/v1/alerts/silences/${encodeURIComponent(id)}`, p),
    channels: () => request<{ channels: AlertChannel[] }>('GET', '/v1/alerts/channels', p),
    createChannel: (c: { name: string; type: string; url: string; secret: string | null }) =>
      request<AlertChannel>('POST', '/v1/alerts/channels', p, c),
    updateChannel: (id: string, c: { name: string; type: string; url: string; secret?: string | null }) =>
      request<AlertChannel>('PUT', `/v1/alerts/channels/${encodeURIComponent(id)}`, p, c),
    deleteChannel: (id: string) => request<void>('DELETE', `/v1/alerts/channels/${encodeURIComponent(id)}`, p),
    testChannel: (id: string) =>
      request<AlertDelivery>('POST', `/v1/alerts/channels/${encodeURIComponent(id)}/test`, p),
    deliveries: () => request<{ deliveries: AlertDelivery[] }>('GET', '/v1/alerts/deliveries', { ...p, limit: 50 }),
  };
}

/** The instance's user accounts (owners only). */
export const usersApi = {
  list: () => request<{ users: UserAccount[] }>('GET', '/v1/users'),
  update: (username: string, change: { disabled?: boolean; owner?: boolean }) =>
    request<UserAccount>('PATCH', `/v1/users/${encodeURIComponent(username)}`, {}, change),
  remove: (username: string) => request<void>('DELETE', `/v1/users/${encodeURIComponent(username)}`),
};

export const auth = {
  me: () => request<Me>('GET', '/v1/auth/me'),
  providers: () => request<Providers>('GET', '/v1/auth/providers'),
  inspectInvite: (token: string) => request<Invite>('POST', '/v1/invites/inspect', {}, { token }),
  acceptInvite: (token: string, username: string, password: string) =>
    request<unknown>('POST', '/v1/invites/accept', {}, { token, username, password }),
  login: (username: string, password: string) => request<Me>('POST', '/v1/auth/login', {}, { username, password }),
  logout: () => request<void>('POST', '/v1/auth/logout'),
};
