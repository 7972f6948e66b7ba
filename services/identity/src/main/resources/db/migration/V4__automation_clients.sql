-- An organisation's automation clients (docs/adr/0029): a confidential client of the realm whose
-- service account is a member of the organisation with a role, so that every service's role check
-- and identity's membership feed apply to it. Their memberships are marked: they are no person (not
-- listed among members, not counted in the members quota, given no chat account).
ALTER TABLE membership ADD COLUMN automation boolean NOT NULL DEFAULT false;

CREATE TABLE automation_client (
    id              uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    name            varchar(60) NOT NULL,
    client_id       varchar(80) NOT NULL UNIQUE,
    keycloak_id     varchar(64) NOT NULL,
    user_id         varchar(64) NOT NULL,
    role            varchar(10) NOT NULL,
    created_by      varchar(64) NOT NULL,
    created_at      timestamptz NOT NULL,
    UNIQUE (organization_id, name)
);
