-- 1 when the run's failure was inferred from a root span or root run that only said "failed":
-- the writer then names the cause from the run's steps each time they change.
ALTER TABLE runs ADD COLUMN failure_inferred INTEGER NOT NULL DEFAULT 0;
