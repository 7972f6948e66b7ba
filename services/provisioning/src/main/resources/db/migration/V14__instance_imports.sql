-- Instances brought in from an exit bundle (docs/adr/0035), with their progress. The bundle's
-- link is a secret and is not kept.
CREATE TABLE instance_import (
    id uuid PRIMARY KEY,
    organization_slug varchar(40) NOT NULL,
    slug varchar(40) NOT NULL,
    step varchar(16) NOT NULL,
    state varchar(16) NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    server_name varchar(300),
    instance_id uuid,
    error varchar(1000),
    started_at timestamptz NOT NULL,
    finished_at timestamptz
);
CREATE INDEX instance_import_organization ON instance_import (organization_slug, started_at DESC);
