#!/usr/bin/env python3
"""Log pages per commit of the run list's sort indexes, as they are and bucketed, with random run ids.

A table shaped like Sextant's `runs` (random 32-hex run ids, a unique key on them, duration and
cost indexes) is filled with WARM commits of 40 runs, then the write-ahead log is emptied and held
open by a reader while 50 more commits are written, and its frames are counted. SPREAD is the
standard deviation of the natural log of durations (median 8 s) and token counts (median 3,000):
0 gives every run the same duration and cost, as IngestLoad's runs have.

  python3 benchmarks/sort-index-pages.py current|bucket|none [WARM] [SPREAD]

`current` is the schema's: (project_id, COALESCE(value, -1) DESC, run_id DESC). `bucket` indexes a
sixteenth of an octave of the value (of the cost in micro-dollars) and leaves the order inside a
bucket to the run key, so that new runs land at the end of their bucket. `none` has neither index.
"""
import math
import os
import random
import sqlite3
import sys
import tempfile

design = sys.argv[1] if len(sys.argv) > 1 else "current"
warm = int(sys.argv[2]) if len(sys.argv) > 2 else 25000
spread = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
path = os.path.join(tempfile.mkdtemp(prefix="sort-index-pages"), "runs.db")
c = sqlite3.connect(path, isolation_level=None)
c.execute("PRAGMA journal_mode=WAL")
c.execute("PRAGMA synchronous=OFF")
c.execute("PRAGMA cache_size=-65536")
c.execute("""CREATE TABLE runs (run_key INTEGER PRIMARY KEY, project_id TEXT NOT NULL, run_id TEXT NOT NULL,
  agent_id TEXT, status TEXT, start_ns INTEGER, duration_ms REAL, cost_usd REAL, pad TEXT,
  UNIQUE (project_id, run_id))""")
if design == "current":
    c.execute("CREATE INDEX runs_by_duration ON runs (project_id, (COALESCE(duration_ms, -1)) DESC, run_id DESC)")
    c.execute("CREATE INDEX runs_by_cost ON runs (project_id, (COALESCE(cost_usd, -1)) DESC, run_id DESC)")
elif design == "bucket":
    c.execute("CREATE INDEX runs_by_duration ON runs (project_id,"
              " (CASE WHEN duration_ms IS NULL THEN -1 ELSE CAST(16 * log2(duration_ms + 1) AS INTEGER) END))")
    c.execute("CREATE INDEX runs_by_cost ON runs (project_id,"
              " (CASE WHEN cost_usd IS NULL THEN -1 ELSE CAST(16 * log2(cost_usd * 1000000 + 1) AS INTEGER) END))")
elif design != "none":
    sys.exit("the design is current, bucket or none, not " + design)
rnd = random.Random(7)


def commit(g):
    c.execute("BEGIN")
    for i in range(40):
        duration = round(math.exp(rnd.gauss(math.log(8000), spread)), 3)
        tokens = int(math.exp(rnd.gauss(math.log(3000), spread)))
        c.execute("INSERT INTO runs (project_id, run_id, agent_id, status, start_ns, duration_ms, cost_usd, pad)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  ("default", "%032x" % rnd.getrandbits(128), "agent", "success",
                   1_700_000_000_000_000_000 + g * 10**7 + i, duration, tokens * 1.5e-7, "x" * 200))
    c.execute("COMMIT")


for g in range(warm):
    commit(g)
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
reader = sqlite3.connect(path)
reader.execute("BEGIN")
reader.execute("SELECT count(*) FROM runs").fetchone()  # holds the log: no checkpoint restarts it
for g in range(warm, warm + 50):
    commit(g)
frames = (os.path.getsize(path + "-wal") - 32) / (4096 + 24)
print(f"{design}, spread {spread}, {40 * (warm + 50):,} runs: {frames / 50:.1f} log pages per commit of 40 runs")
