-- 1 when the run's failure was inferred from a root span or root run that only said "failed":
-- the writer then names the cause from the run's steps each time they change. SMALLINT rather than
-- BOOLEAN so that the shared SQL compares it the same way on both backends.
ALTER TABLE runs ADD COLUMN failure_inferred SMALLINT NOT NULL DEFAULT 0;
