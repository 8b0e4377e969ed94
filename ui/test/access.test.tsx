import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';
import { ME, mockFetch } from './fixtures';

afterEach(() => {
  vi.unstubAllGlobals();
  window.localStorage.clear();
});

function go(path: string) {
  window.history.replaceState(null, '', path);
}

const unauthorized = { status: 401, body: { error: 'unauthorized', message: 'sign in' } };
const noRuns = { '/v1/agents': () => ({ body: { agents: [] } }), '/v1/runs': () => ({ body: { runs: [], next_cursor: null } }) };

describe('single sign-on', () => {
  it('offers the provider on the login page and shows why a sign-in failed', async () => {
    mockFetch({
      '/v1/auth/me': () => unauthorized,
      '/v1/auth/providers': () => ({ body: { password: true, oidc: { name: 'Corp SSO', login_path: '/v1/auth/oidc/login' } } }),
    });
    go('/login?sso_error=the%20account%20dora%20is%20disabled%20in%20Sextant');
    render(<App />);
    const button = await screen.findByRole('link', { name: 'Sign in with Corp SSO' }, { timeout: 5000 });
    expect(button.getAttribute('href')).toBe('/v1/auth/oidc/login');
    expect(screen.getByRole('alert').textContent).toBe('Single sign-on failed: the account dora is disabled in Sextant');
  });

  it('shows no provider button without single sign-on', async () => {
    mockFetch({ '/v1/auth/me': () => unauthorized, '/v1/auth/providers': () => ({ body: { password: true, oidc: null } }) });
    go('/login');
    render(<App />);
    await screen.findByLabelText('Password');
    await waitFor(() => expect(screen.queryByRole('link', { name: /Sign in with/ })).toBeNull());
  });
});

describe('invite', () => {
  it('reads the token from the fragment, creates the account and signs in', async () => {
    let signedIn = false;
    const calls = mockFetch({
      '/v1/auth/me': () => (signedIn ? { body: ME } : unauthorized),
      'POST /v1/invites/inspect': () => ({
        body: { invite_id: 'inv-1', project_id: 'default', project_name: 'Default', role: 'member', created_at: '', expires_at: '' },
      }),
      'POST /v1/invites/accept': () => ({ status: 201, body: { username: 'mia' } }),
      'POST /v1/auth/login': () => {
        signedIn = true;
        return { body: ME };
      },
      ...noRuns,
    });
    go('/invite#tok123');
    render(<App />);
    expect(await screen.findByText('Default', {}, { timeout: 5000 })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('User'), { target: { value: 'mia' } });
    fireEvent.change(screen.getByLabelText('New password'), { target: { value: 'long-enough-pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(calls.some((c) => c.url.pathname === '/v1/auth/login')).toBe(true));
    expect(calls.find((c) => c.url.pathname === '/v1/invites/inspect')!.body).toEqual({ token: 'tok123' });
    expect(calls.find((c) => c.url.pathname === '/v1/invites/accept')!.body).toEqual({ token: 'tok123', username: 'mia', password: 'long-enough-pw' });
  });
});

describe('access page', () => {
  it('lists the API keys with who made them and when they were last used, and revokes one', async () => {
    const key = {
      public_id: 'pk-sextant-abc', project_id: 'default', name: 'ci', scopes: ['ingest'], created_by: 'alice',
      created_at: '2026-12-01T10:00:00Z', last_used_at: '2026-12-02T09:00:00Z', expires_at: null, revoked_at: null, status: 'active',
    };
    const calls = mockFetch({
      '/v1/auth/me': () => ({ body: { ...ME, owner: true } }),
      '/v1/projects/default/api-keys': () => ({ body: { api_keys: [key] } }),
      'DELETE /v1/projects/default/api-keys/{id}': () => ({ status: 204 }),
      '/v1/audit': () => ({
        body: { events: [{ id: '1', time: '2026-12-02T09:30:00Z', actor: 'alice', action: 'key.create', project_id: 'default', target: 'pk-sextant-abc', address: '10.0.0.7', detail: null }], next_cursor: null },
      }),
      ...noRuns,
    });
    go('/access?project=default');
    render(<App />);
    expect(await screen.findByText('ci', {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByText('2026-12-02T09:00:00Z')).toBeTruthy();
    expect(await screen.findByText('key.create', {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByText('10.0.0.7')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Revoke pk-sextant-abc' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE')).toBe(true));
    const audit = calls.find((c) => c.url.pathname === '/v1/audit')!;
    expect(audit.url.searchParams.get('project')).toBe('default');
  });
});
