import { useCallback, useEffect, useState } from 'react';
import type { accessApi } from '../api';
import type { Member, ProjectRole } from '../types';

const roleOptions = (['viewer', 'member', 'admin'] as ProjectRole[]).map((r) => (
  <option key={r} value={r}>
    {r}
  </option>
));

/** The project's members: change a role, remove a member, add an existing user (project admins). */
export function Members({ api, onError }: { api: ReturnType<typeof accessApi>; onError: (e: unknown) => void }) {
  const [members, setMembers] = useState<Member[] | null>(null);
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<ProjectRole>('viewer');

  const load = useCallback(() => {
    api.members().then((r) => setMembers(r.members), onError);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api]);
  useEffect(load, [load]);

  const put = (name: string, r: string) => api.putMember(name, r).then(load, onError);
  const remove = (name: string) => api.removeMember(name).then(load, onError);

  return (
    <section aria-label="Members">
      <h2>Members</h2>
      <table className="table">
        <thead>
          <tr>
            <th>User</th>
            <th>Role</th>
            <th>Sign-in</th>
            <th>Since</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(members ?? []).map((m) => (
            <tr key={m.username}>
              <td>
                {m.username}
                {m.disabled ? <span className="muted"> (disabled)</span> : null}
              </td>
              <td>
                <select aria-label={`Role of ${m.username}`} value={m.role} onChange={(e) => put(m.username, e.target.value)}>
                  {roleOptions}
                </select>
              </td>
              <td>{m.sso ? 'single sign-on' : 'password'}</td>
              <td>{m.created_at}</td>
              <td>
                <button type="button" onClick={() => remove(m.username)} aria-label={`Remove ${m.username} from the project`}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          if (username.trim()) put(username.trim(), role).then(() => setUsername(''));
        }}
      >
        <label>
          <span className="muted">Existing user</span>
          <input aria-label="Member user name" value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <select aria-label="Member role" value={role} onChange={(e) => setRole(e.target.value as ProjectRole)}>
          {roleOptions}
        </select>
        <button type="submit">Add member</button>
      </form>
    </section>
  );
}
