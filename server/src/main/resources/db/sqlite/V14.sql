-- Run indexes that hold only the runs a filter on them can find (see server/RATIONALE.md, "Run
-- indexes: only the runs they find"). A filter by failure type or by session compares with a
-- value, so it never finds a run without one; most runs have no failure, and many no session,
-- yet every new run wrote an entry in both. A partial index is used wherever the query's own
-- condition implies its WHERE (here, any comparison of the column).
DROP INDEX runs_by_failure;
CREATE INDEX runs_by_failure ON runs (project_id, failure_type, failure_code, start_ns DESC)
  WHERE failure_type IS NOT NULL;
DROP INDEX runs_by_session;
CREATE INDEX runs_by_session ON runs (project_id, session_id, start_ns DESC) WHERE session_id IS NOT NULL;
-- sort=duration orders by exactly this expression (as PostgreSQL's index has it from the start), so
-- the index serves the sort instead of a scan of the project's runs into a temporary b-tree
DROP INDEX runs_by_duration;
CREATE INDEX runs_by_duration ON runs (project_id, (COALESCE(duration_ms, -1)) DESC, run_id DESC);
