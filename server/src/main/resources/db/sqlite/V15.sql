-- The run list's sorts by duration and by cost read the run indexes that lead with the start time
-- instead of keeping an index each (see server/RATIONALE.md, "Sorts by duration and cost: read in
-- start order, not kept in value order"). Run ids are random, and so are durations and costs: each
-- new run landed on a page of its own in both value indexes, and each such page was written to the
-- log and again to the database file, about half of what a commit wrote. The indexes in start
-- order take new runs at their end; they now carry the run id, the duration and the cost, so that
-- a sort, filtered by agent or status or not at all, reads one of them alone (no run rows) and
-- fetches only the runs of its page.
DROP INDEX runs_by_duration;
DROP INDEX runs_by_cost;
DROP INDEX runs_by_time;
CREATE INDEX runs_by_time ON runs (project_id, start_ns DESC, run_id DESC, duration_ms, cost_usd);
DROP INDEX runs_by_agent;
CREATE INDEX runs_by_agent ON runs (project_id, agent_id, agent_version, start_ns DESC, run_id DESC, duration_ms,
  cost_usd);
DROP INDEX runs_by_status;
CREATE INDEX runs_by_status ON runs (project_id, status, start_ns DESC, run_id DESC, duration_ms, cost_usd);
