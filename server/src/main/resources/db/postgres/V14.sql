-- Run indexes that hold only the runs a filter on them can find (see server/RATIONALE.md, "Run
-- indexes: only the runs they find"). A filter by failure type or by session compares with a
-- value, so it never finds a run without one; most runs have no failure, and many no session,
-- yet every new run wrote an entry in both. The planner uses a partial index wherever the query's
-- condition implies its WHERE (a strict comparison of the column implies IS NOT NULL).
DROP INDEX runs_by_failure;
CREATE INDEX runs_by_failure ON runs (project_id, failure_type, failure_code, start_ns DESC)
  WHERE failure_type IS NOT NULL;
DROP INDEX runs_by_session;
CREATE INDEX runs_by_session ON runs (project_id, session_id, start_ns DESC) WHERE session_id IS NOT NULL;
