-- Uploaded files not read for this many days are removed (0: kept), beside the messages' retention.
ALTER TABLE instance ADD COLUMN media_retention_days integer NOT NULL DEFAULT 0
    CHECK (media_retention_days BETWEEN 0 AND 36500);
