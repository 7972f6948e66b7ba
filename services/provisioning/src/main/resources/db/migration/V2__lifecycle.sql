-- The desired spec of an instance and where its lifecycle stands. The API writes the spec and
-- bumps generation; the supervisor converges the runtime to it and records observed_generation.
ALTER TABLE instance
    ADD COLUMN display_name        varchar(100) NOT NULL DEFAULT '',
    ADD COLUMN plan                varchar(40)  NOT NULL DEFAULT 'small',
    ADD COLUMN chat_version        varchar(40)  NOT NULL DEFAULT '',
    ADD COLUMN custom_domain       varchar(253),
    ADD COLUMN federation          varchar(20)  NOT NULL DEFAULT 'platform-only'
        CHECK (federation IN ('open', 'platform-only', 'off')),
    ADD COLUMN retention_days      integer      NOT NULL DEFAULT 0 CHECK (retention_days BETWEEN 0 AND 36500),
    ADD COLUMN login_mode          varchar(20)  NOT NULL DEFAULT 'openid'
        CHECK (login_mode IN ('openid', 'gitlab', 'accounts')),
    ADD COLUMN desired             varchar(20)  NOT NULL DEFAULT 'running'
        CHECK (desired IN ('running', 'suspended', 'deleted')),
    ADD COLUMN generation          bigint       NOT NULL DEFAULT 1,
    ADD COLUMN observed_generation bigint       NOT NULL DEFAULT 0,
    ADD COLUMN url                 varchar(300),
    ADD COLUMN reason              varchar(1000),
    ADD COLUMN attempts            integer      NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at     timestamptz  NOT NULL DEFAULT now(),
    ADD COLUMN lease_owner         varchar(100),
    ADD COLUMN lease_until         timestamptz,
    ADD COLUMN deletion_due_at     timestamptz,
    ADD COLUMN last_transition_at  timestamptz  NOT NULL DEFAULT now(),
    ADD COLUMN local_port          integer;
ALTER TABLE instance ADD CONSTRAINT instance_state_check CHECK (state IN
    ('requested', 'provisioning', 'ready', 'updating', 'suspended', 'deletion-requested',
     'deleted', 'failed'));
-- A custom domain belongs to one live instance.
CREATE UNIQUE INDEX instance_custom_domain ON instance (custom_domain)
    WHERE custom_domain IS NOT NULL AND state <> 'deleted';
-- The supervisor's one queue: every live instance is due again at next_attempt_at (at once after a
-- change, after a back-off after a failure, at the next resync otherwise).
CREATE INDEX instance_due ON instance (next_attempt_at) WHERE state NOT IN ('deleted', 'failed');
CREATE INDEX instance_by_org ON instance (organization_slug, created_at, id);

-- Every step the supervisor took, for the API's "what happened" and for operators.
CREATE TABLE instance_step (
    id          bigserial    PRIMARY KEY,
    instance_id uuid         NOT NULL REFERENCES instance (id) ON DELETE CASCADE,
    generation  bigint       NOT NULL,
    name        varchar(40)  NOT NULL,
    outcome     varchar(10)  NOT NULL CHECK (outcome IN ('done', 'unchanged', 'failed')),
    detail      varchar(1000),
    started_at  timestamptz  NOT NULL,
    finished_at timestamptz  NOT NULL
);
CREATE INDEX instance_step_by_instance ON instance_step (instance_id, id);

-- Organisation membership as identity publishes it (its membership-events feed): who may manage
-- which organisation's instances, and whom a Mattermost instance in accounts mode must know.
CREATE TABLE organization_member (
    organization_slug varchar(40) NOT NULL,
    user_id           varchar(64) NOT NULL,
    role              varchar(10) NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    PRIMARY KEY (organization_slug, user_id)
);
CREATE INDEX organization_member_by_user ON organization_member (user_id);

-- How far the membership feed has been read.
CREATE TABLE feed_position (
    feed       varchar(40) PRIMARY KEY,
    last_id    bigint      NOT NULL,
    updated_at timestamptz NOT NULL
);

-- Webhook subscribers of an organisation, and the deliveries owed to them (an outbox).
CREATE TABLE webhook (
    id                uuid          PRIMARY KEY,
    organization_slug varchar(40)   NOT NULL,
    url               varchar(2000) NOT NULL,
    secret            varchar(100)  NOT NULL,
    created_at        timestamptz   NOT NULL
);
CREATE INDEX webhook_by_org ON webhook (organization_slug, created_at, id);

CREATE TABLE webhook_delivery (
    id              bigserial     PRIMARY KEY,
    webhook_id      uuid          NOT NULL REFERENCES webhook (id) ON DELETE CASCADE,
    payload         text          NOT NULL,
    attempts        integer       NOT NULL DEFAULT 0,
    next_attempt_at timestamptz   NOT NULL,
    delivered_at    timestamptz,
    last_error      varchar(500),
    created_at      timestamptz   NOT NULL
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE delivered_at IS NULL;

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
