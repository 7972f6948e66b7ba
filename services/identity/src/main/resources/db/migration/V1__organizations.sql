-- Organisations as the identity service knows them; Keycloak holds the same organisation
-- (keycloak_id) with its members. The slug ends up in DNS names and URLs: lower-case, 3-40 chars.
CREATE TABLE organization (
    id                    uuid         PRIMARY KEY,
    slug                  varchar(40)  NOT NULL UNIQUE CHECK (slug ~ '^[a-z][a-z0-9-]{1,38}[a-z0-9]$'),
    name                  varchar(200) NOT NULL,
    keycloak_id           varchar(64)  UNIQUE,
    created_at            timestamptz  NOT NULL,
    updated_at            timestamptz  NOT NULL,
    deletion_scheduled_at timestamptz,
    version               bigint       NOT NULL DEFAULT 0
);
