-- Alerting: rules, channels, silences and alert states as small JSON documents per project, and
-- the append-only logs of transitions (history) and notification deliveries.
CREATE TABLE alert_docs (
  project_id TEXT NOT NULL,
  kind       TEXT NOT NULL,
  id         TEXT NOT NULL,
  body       TEXT NOT NULL,
  PRIMARY KEY (project_id, kind, id)
);
CREATE TABLE alert_log (
  seq        BIGSERIAL PRIMARY KEY,
  project_id TEXT NOT NULL,
  log        TEXT NOT NULL,
  at_ns      BIGINT NOT NULL,
  body       TEXT NOT NULL
);
CREATE INDEX alert_log_by_project ON alert_log (project_id, log, seq);
