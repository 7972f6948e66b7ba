-- Who belongs to which organisation, with which role. Keycloak holds the same membership
-- (organisation members); the role lives here, where every check reads it.
CREATE TABLE membership (
    organization_id uuid         NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    user_id         varchar(64)  NOT NULL,
    username        varchar(255) NOT NULL,
    email           varchar(254),
    role            varchar(10)  NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    joined_at       timestamptz  NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX membership_by_user ON membership (user_id, organization_id);

-- Membership changes, for the other services (provisioning's Mattermost accounts, billing's
-- member counts): an outbox they read in order of id.
CREATE TABLE membership_event (
    id                bigserial    PRIMARY KEY,
    organization_slug varchar(40)  NOT NULL,
    user_id           varchar(64)  NOT NULL,
    kind              varchar(20)  NOT NULL CHECK (kind IN ('added', 'role_changed', 'removed')),
    role              varchar(10),
    occurred_at       timestamptz  NOT NULL
);

-- The last state of a deleted organisation, kept as its final backup.
CREATE TABLE organization_archive (
    id          uuid        PRIMARY KEY,
    slug        varchar(40) NOT NULL,
    archived_at timestamptz NOT NULL,
    snapshot    text        NOT NULL
);

-- Answers to creating requests, replayed for a repeated Idempotency-Key (see salons-common).
CREATE TABLE idempotency_record (
    scope           varchar(300)  NOT NULL,
    idempotency_key varchar(200)  NOT NULL,
    fingerprint     varchar(64)   NOT NULL,
    status          integer,
    location        varchar(2000),
    body            text,
    created_at      timestamptz   NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);
