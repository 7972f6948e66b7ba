-- Backups of an instance (docs/adr/0032): database dump, media, secrets, a manifest of checksums,
-- each file encrypted with the hoster's key; and restores from them, with their progress.
CREATE TABLE instance_backup (
    id uuid PRIMARY KEY,
    instance_id uuid NOT NULL,
    organization_slug varchar(40) NOT NULL,
    kind varchar(16) NOT NULL CHECK (kind IN ('on-demand', 'scheduled', 'final')),
    state varchar(16) NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    location varchar(500),
    size_bytes bigint,
    error varchar(1000),
    started_at timestamptz NOT NULL,
    finished_at timestamptz
);
CREATE INDEX instance_backup_instance ON instance_backup (instance_id, started_at DESC);

CREATE TABLE instance_restore (
    id uuid PRIMARY KEY,
    backup_id uuid NOT NULL REFERENCES instance_backup (id),
    instance_id uuid NOT NULL,
    organization_slug varchar(40) NOT NULL,
    step varchar(32) NOT NULL,
    state varchar(16) NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    error varchar(1000),
    started_at timestamptz NOT NULL,
    finished_at timestamptz
);
