-- A quota crossing its warning threshold, or a claim refused: told to the organisation's webhooks
-- by provisioning, which reads them in order (GET /api/v1/quota-events).
CREATE TABLE quota_event (
    id bigserial PRIMARY KEY,
    organization_slug varchar(63) NOT NULL,
    resource varchar(32) NOT NULL,
    kind varchar(16) NOT NULL CHECK (kind IN ('warning', 'exceeded')),
    used bigint NOT NULL,
    limit_value bigint NOT NULL,
    requested bigint,
    occurred_at timestamptz NOT NULL
);
CREATE INDEX quota_event_occurred ON quota_event (occurred_at);
