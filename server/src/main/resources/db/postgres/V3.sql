-- One secret per project, created on first use: the key of the HMAC-SHA256 that pseudonymises
-- personal data found in identifier fields (session ids, label values, user ids). It never changes,
-- so a value gets the same pseudonym on every node and after every restart.
CREATE TABLE project_secrets (
  project_id TEXT PRIMARY KEY,
  secret     BYTEA NOT NULL
);
