-- Run labels under the run's integer key (see server/RATIONALE.md, "The writer's CPU, by library").
-- Keyed by project and run id, every new run's labels went to a random place of the key's b-tree,
-- and a commit of a few dozen runs wrote as many pages of it; under run_key, which grows with each
-- new run, they are appended. A label filter finds its runs through run_key as steps do.
CREATE TABLE run_labels_v13 (
  run_key INTEGER NOT NULL,
  key     TEXT NOT NULL,
  value   TEXT NOT NULL,
  PRIMARY KEY (run_key, key)
) WITHOUT ROWID;
INSERT INTO run_labels_v13 (run_key, key, value)
SELECT r.run_key, l.key, l.value FROM run_labels l JOIN runs r ON r.project_id = l.project_id AND r.run_id = l.run_id
ORDER BY r.run_key, l.key;
DROP TABLE run_labels;
ALTER TABLE run_labels_v13 RENAME TO run_labels;
CREATE INDEX run_labels_by_value ON run_labels (key, value, run_key);
