-- The desired state of chat instances: the API writes here, the reconciler converges to it.
CREATE TABLE instance (
    id                uuid         PRIMARY KEY,
    organization_slug varchar(40)  NOT NULL CHECK (organization_slug ~ '^[a-z][a-z0-9-]{1,38}[a-z0-9]$'),
    slug              varchar(40)  NOT NULL CHECK (slug ~ '^[a-z][a-z0-9-]{1,38}[a-z0-9]$'),
    flavour           varchar(20)  NOT NULL CHECK (flavour IN ('matrix', 'mattermost')),
    state             varchar(30)  NOT NULL,
    created_at        timestamptz  NOT NULL,
    updated_at        timestamptz  NOT NULL,
    version           bigint       NOT NULL DEFAULT 0,
    UNIQUE (organization_slug, slug)
);
