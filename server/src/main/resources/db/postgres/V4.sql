-- Team access: users with roles per project, invites, key management and the audit log.
-- Booleans are 0/1 integers on both backends so the shared SQL reads them the same way.

ALTER TABLE users ADD COLUMN owner INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN sso_subject TEXT;
CREATE UNIQUE INDEX users_by_sso_subject ON users (sso_subject);
-- the bootstrap admin of an existing store becomes its instance owner
UPDATE users SET owner = 1 WHERE username = 'admin';

CREATE TABLE memberships (
  project_id TEXT NOT NULL,
  username   TEXT NOT NULL,
  role       TEXT NOT NULL,
  created_ns BIGINT NOT NULL,
  PRIMARY KEY (project_id, username)
);
CREATE INDEX memberships_by_user ON memberships (username);

CREATE TABLE invites (
  invite_id  TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  project_id TEXT NOT NULL,
  role       TEXT NOT NULL,
  created_by TEXT,
  created_ns BIGINT NOT NULL,
  expires_ns BIGINT NOT NULL,
  used_ns    BIGINT,
  used_by    TEXT
);
CREATE INDEX invites_by_project ON invites (project_id, created_ns);

ALTER TABLE api_keys ADD COLUMN created_by TEXT;
ALTER TABLE api_keys ADD COLUMN last_used_ns BIGINT;
ALTER TABLE api_keys ADD COLUMN expires_ns BIGINT;
ALTER TABLE api_keys ADD COLUMN revoked_ns BIGINT;
CREATE INDEX api_keys_by_project ON api_keys (project_id, created_ns);

CREATE TABLE audit_log (
  audit_id BIGSERIAL PRIMARY KEY,
  time_ns    BIGINT NOT NULL,
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL,
  project_id TEXT,
  target     TEXT,
  address    TEXT,
  detail     TEXT
);
CREATE INDEX audit_by_time ON audit_log (time_ns);
CREATE INDEX audit_by_project ON audit_log (project_id, audit_id);
