-- Retention per project, in days (NULL: the server's default, 0: forever); see Retention.
ALTER TABLE projects ADD COLUMN raw_retention_days INTEGER;
ALTER TABLE projects ADD COLUMN rollup_retention_days INTEGER;
