-- Plans gain the rest of their quotas and price rules; a retired plan is kept for its subscribers.
ALTER TABLE plan
    ADD COLUMN description              varchar(500) NOT NULL DEFAULT '',
    ADD COLUMN cpu_millicores           integer      NOT NULL DEFAULT 0 CHECK (cpu_millicores >= 0),
    ADD COLUMN memory_mib               integer      NOT NULL DEFAULT 0 CHECK (memory_mib >= 0),
    ADD COLUMN solidarity_share_percent integer      NOT NULL DEFAULT 0
        CHECK (solidarity_share_percent BETWEEN 0 AND 100),
    ADD COLUMN available                boolean      NOT NULL DEFAULT true,
    ADD COLUMN updated_at               timestamptz;
ALTER TABLE plan ADD CONSTRAINT plan_minimum_within_suggested
    CHECK (minimum_price_cents <= suggested_price_cents);

-- Who belongs to which organisation, followed from identity's membership feed (libs/membership).
CREATE TABLE organization_member (
    organization_slug varchar(40) NOT NULL,
    user_id           varchar(64) NOT NULL,
    role              varchar(10) NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    PRIMARY KEY (organization_slug, user_id)
);
CREATE TABLE feed_position (
    feed       varchar(40) PRIMARY KEY,
    last_id    bigint      NOT NULL,
    updated_at timestamptz NOT NULL
);

-- One plan and one chosen price per organisation; its row is the lock that serializes quota claims.
CREATE TABLE subscription (
    organization_slug varchar(40) PRIMARY KEY CHECK (organization_slug ~ '^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$'),
    plan_id           varchar(40) NOT NULL REFERENCES plan (id),
    price_cents       bigint      NOT NULL CHECK (price_cents >= 0),
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    version           bigint      NOT NULL DEFAULT 0
);
CREATE INDEX subscription_by_plan ON subscription (plan_id);

-- What an organisation holds against its quotas, one row per thing held (an instance, a member...).
CREATE TABLE quota_claim (
    organization_slug varchar(40)  NOT NULL REFERENCES subscription (organization_slug),
    resource          varchar(20)  NOT NULL
        CHECK (resource IN ('instances', 'members', 'storage-gb', 'cpu-millicores', 'memory-mib')),
    claim_key         varchar(100) NOT NULL CHECK (claim_key ~ '^[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}$'),
    amount            bigint       NOT NULL CHECK (amount > 0),
    claimed_by        varchar(64)  NOT NULL,
    created_at        timestamptz  NOT NULL,
    updated_at        timestamptz  NOT NULL,
    PRIMARY KEY (organization_slug, resource, claim_key)
);

-- Hourly usage per instance. The key makes a sample sent twice count once; it also serves every
-- read of one organisation's month. No other index: ingestion stays fast.
CREATE TABLE usage_sample (
    organization_slug varchar(40) NOT NULL,
    instance_id       uuid        NOT NULL,
    hour              timestamptz NOT NULL,
    cpu_millicores    integer     NOT NULL CHECK (cpu_millicores BETWEEN 0 AND 1000000),
    memory_mib        integer     NOT NULL CHECK (memory_mib BETWEEN 0 AND 4194304),
    storage_mib       bigint      NOT NULL CHECK (storage_mib BETWEEN 0 AND 1073741824),
    active_members    integer     NOT NULL CHECK (active_members BETWEEN 0 AND 10000000),
    PRIMARY KEY (organization_slug, instance_id, hour)
);

-- Monthly statements, computed for every organisation at once (the shared costs depend on all).
CREATE TABLE statement_run (
    month                     date        PRIMARY KEY CHECK (extract(day FROM month) = 1),
    computed_at               timestamptz NOT NULL,
    provisional               boolean     NOT NULL,
    hours                     integer     NOT NULL,
    samples                   bigint      NOT NULL,
    organizations             integer     NOT NULL,
    capacity_cost_cents       bigint      NOT NULL,
    fixed_cost_cents          bigint      NOT NULL,
    direct_cost_cents         bigint      NOT NULL,
    idle_cost_cents           bigint      NOT NULL,
    total_cost_cents          bigint      NOT NULL,
    paid_cents                bigint      NOT NULL,
    solidarity_collected_cents bigint     NOT NULL,
    solidarity_needed_cents   bigint      NOT NULL,
    duration_ms               bigint      NOT NULL
);

CREATE TABLE statement (
    month                 date         NOT NULL REFERENCES statement_run (month) ON DELETE CASCADE,
    organization_slug     varchar(40)  NOT NULL,
    plan_id               varchar(40)  NOT NULL,
    price_cents           bigint       NOT NULL,
    core_hours            numeric(20, 4) NOT NULL,
    memory_gib_hours      numeric(20, 4) NOT NULL,
    storage_gb_months     numeric(20, 6) NOT NULL,
    peak_members          integer      NOT NULL,
    cpu_cents             bigint       NOT NULL CHECK (cpu_cents >= 0),
    memory_cents          bigint       NOT NULL CHECK (memory_cents >= 0),
    storage_cents         bigint       NOT NULL CHECK (storage_cents >= 0),
    shared_cents          bigint       NOT NULL CHECK (shared_cents >= 0),
    cost_cents            bigint       NOT NULL CHECK (cost_cents >= 0),
    solidarity_share_cents bigint      NOT NULL CHECK (solidarity_share_cents >= 0),
    covered_by_solidarity_cents bigint NOT NULL CHECK (covered_by_solidarity_cents >= 0),
    PRIMARY KEY (organization_slug, month)
);
CREATE INDEX statement_by_month ON statement (month);
