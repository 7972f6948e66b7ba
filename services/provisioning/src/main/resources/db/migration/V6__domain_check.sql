-- Whether an instance's custom domain leads to the platform, since when, and when that was last
-- looked up.
ALTER TABLE instance ADD COLUMN domain_pointed boolean;
ALTER TABLE instance ADD COLUMN domain_changed_at timestamptz;
ALTER TABLE instance ADD COLUMN domain_checked_at timestamptz;
CREATE INDEX instance_domain_check ON instance (domain_checked_at NULLS FIRST)
    WHERE custom_domain IS NOT NULL AND state <> 'deleted';
