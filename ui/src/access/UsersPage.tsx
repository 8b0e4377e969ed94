import { useCallback, useEffect, useState } from 'react';
import { usersApi } from '../api';
import { useApp } from '../context';
import type { UserAccount } from '../types';

/** `/users`: every account of the instance; owners disable, remove and promote users. */
export function UsersPage() {
  const { me } = useApp();
  const [users, setUsers] = useState<UserAccount[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fail = (e: unknown) => setError(e instanceof Error ? e.message : String(e));

  const load = useCallback(() => {
    if (me.owner) usersApi.list().then((r) => setUsers(r.users), fail);
  }, [me.owner]);
  useEffect(load, [load]);

  if (!me.owner) {
    return (
      <div className="page">
        <h1>Users</h1>
        <p className="muted">Only an instance owner manages user accounts.</p>
      </div>
    );
  }
  const act = (p: Promise<unknown>) => {
    setError(null);
    p.then(load, fail);
  };
  const remove = (u: UserAccount) => {
    if (window.confirm(`Remove ${u.username}? Their sessions end and their project roles are deleted.`)) act(usersApi.remove(u.username));
  };

  return (
    <div className="page">
      <h1>Users</h1>
      {error ? (
        <div className="error-box" role="alert">
          {error}
        </div>
      ) : null}
      <table className="table">
        <thead>
          <tr>
            <th>User</th>
            <th>Owner</th>
            <th>Status</th>
            <th>Sign-in</th>
            <th>Projects</th>
            <th>Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(users ?? []).map((u) => (
            <tr key={u.username}>
              <td>{u.username}</td>
              <td>{u.owner ? 'owner' : ''}</td>
              <td>{u.disabled ? 'disabled' : 'active'}</td>
              <td>{u.sso ? 'single sign-on' : 'password'}</td>
              <td>{u.projects.map((p) => `${p.project_id}: ${p.role}`).join(', ')}</td>
              <td>{u.created_at}</td>
              <td className="actions">
                <button type="button" onClick={() => act(usersApi.update(u.username, { disabled: !u.disabled }))} aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.username}`}>
                  {u.disabled ? 'Enable' : 'Disable'}
                </button>
                <button type="button" onClick={() => act(usersApi.update(u.username, { owner: !u.owner }))} aria-label={`${u.owner ? 'Revoke owner from' : 'Make owner'} ${u.username}`}>
                  {u.owner ? 'Revoke owner' : 'Make owner'}
                </button>
                <button type="button" onClick={() => remove(u)} aria-label={`Remove ${u.username}`}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
