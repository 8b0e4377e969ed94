import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';
import { ME, mockFetch } from './fixtures';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  window.localStorage.clear();
});

function go(path: string) {
  window.history.replaceState(null, '', path);
}

const noRuns = { '/v1/agents': () => ({ body: { agents: [] } }), '/v1/runs': () => ({ body: { runs: [], next_cursor: null } }) };
const OWNER = { ...ME, owner: true };
const user = (username: string, extra = {}) => ({
  username, owner: false, disabled: false, sso: false, created_at: '2026-12-01T10:00:00Z', projects: [{ project_id: 'default', role: 'member' }], ...extra,
});

describe('users page', () => {
  it('lists the users and disables, promotes and removes one', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    const calls = mockFetch({
      '/v1/auth/me': () => ({ body: OWNER }),
      '/v1/users': () => ({ body: { users: [user('admin', { owner: true }), user('mia', { sso: true })] } }),
      'PATCH /v1/users/{u}': () => ({ body: user('mia') }),
      'DELETE /v1/users/{u}': () => ({ status: 204 }),
      ...noRuns,
    });
    go('/users?project=default');
    render(<App />);
    const row = (await screen.findByText('mia', {}, { timeout: 5000 })).closest('tr')!;
    expect(within(row).getByText('single sign-on')).toBeTruthy();
    expect(within(row).getByText('default: member')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Disable mia' }));
    fireEvent.click(screen.getByRole('button', { name: 'Make owner mia' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove mia' }));
    await waitFor(() => expect(calls.filter((c) => c.method !== 'GET').length).toBe(3));
    const patches = calls.filter((c) => c.method === 'PATCH');
    expect(patches.map((c) => c.url.pathname)).toEqual(['/v1/users/mia', '/v1/users/mia']);
    expect(patches.map((c) => c.body)).toEqual([{ disabled: true }, { owner: true }]);
    expect(calls.find((c) => c.method === 'DELETE')!.url.pathname).toBe('/v1/users/mia');
  });

  it('shows the server refusal, e.g. removing the last owner', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    mockFetch({
      '/v1/auth/me': () => ({ body: OWNER }),
      '/v1/users': () => ({ body: { users: [user('admin', { owner: true })] } }),
      'DELETE /v1/users/{u}': () => ({ status: 409, body: { error: 'conflict', message: 'admin is the last enabled owner; make another user an owner first' } }),
      ...noRuns,
    });
    go('/users?project=default');
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Remove admin' }, { timeout: 5000 }));
    expect((await screen.findByRole('alert')).textContent).toBe('admin is the last enabled owner; make another user an owner first');
  });

  it('is not offered to a non-owner', async () => {
    mockFetch({ '/v1/auth/me': () => ({ body: ME }), ...noRuns });
    go('/users?project=default');
    render(<App />);
    expect(await screen.findByText('Only an instance owner manages user accounts.', {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Users' })).toBeNull();
  });
});

describe('members and audit filters on the access page', () => {
  it('changes a role, removes and adds members, and filters the audit log', async () => {
    const calls = mockFetch({
      '/v1/auth/me': () => ({ body: OWNER }),
      '/v1/projects/default/api-keys': () => ({ body: { api_keys: [] } }),
      '/v1/projects/default/members': () => ({
        body: { members: [{ username: 'mia', role: 'viewer', disabled: false, sso: false, created_at: '2026-12-01T10:00:00Z' }] },
      }),
      'PUT /v1/projects/default/members/{u}': () => ({ body: {} }),
      'DELETE /v1/projects/default/members/{u}': () => ({ status: 204 }),
      '/v1/audit': (url) => ({
        body: {
          events: url.searchParams.get('actor') === 'mia' ? [] : [{ id: '1', time: '2026-12-02T09:30:00Z', actor: 'alice', action: 'key.create', project_id: 'default', target: null, address: null, detail: null }],
          next_cursor: null,
        },
      }),
      ...noRuns,
    });
    go('/access?project=default');
    render(<App />);
    fireEvent.change(await screen.findByLabelText('Role of mia', {}, { timeout: 5000 }), { target: { value: 'admin' } });
    fireEvent.click(screen.getByRole('button', { name: 'Remove mia from the project' }));
    fireEvent.change(screen.getByLabelText('Member user name'), { target: { value: 'noah' } });
    fireEvent.change(screen.getByLabelText('Member role'), { target: { value: 'member' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add member' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PUT').length).toBe(2));
    expect(calls.filter((c) => c.method === 'PUT').map((c) => [c.url.pathname, c.body])).toEqual([
      ['/v1/projects/default/members/mia', { role: 'admin' }],
      ['/v1/projects/default/members/noah', { role: 'member' }],
    ]);
    expect(calls.find((c) => c.method === 'DELETE')!.url.pathname).toBe('/v1/projects/default/members/mia');

    expect(await screen.findByText('key.create')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Audit actor'), { target: { value: 'mia' } });
    fireEvent.change(screen.getByLabelText('Audit action'), { target: { value: 'member.role' } });
    fireEvent.change(screen.getByLabelText('Audit from'), { target: { value: '2026-12-01T00:00' } });
    fireEvent.change(screen.getByLabelText('Audit to'), { target: { value: '2026-12-03T00:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Filter' }));
    expect(await screen.findByText('No audit events match.')).toBeTruthy();
    const last = calls.filter((c) => c.url.pathname === '/v1/audit').at(-1)!.url.searchParams;
    expect(last.get('project')).toBe('default');
    expect(last.get('actor')).toBe('mia');
    expect(last.get('action')).toBe('member.role');
    expect(last.get('from')).toBe(new Date('2026-12-01T00:00').toISOString());
    expect(last.get('to')).toBe(new Date('2026-12-03T00:00').toISOString());
  });
});
