-- Plans: the quotas a hoster offers and their price rules. Amounts are in cents, never floats.
CREATE TABLE plan (
    id                       varchar(40)  PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9-]{1,38}[a-z0-9]$'),
    name                     varchar(100) NOT NULL,
    max_instances            integer      NOT NULL CHECK (max_instances >= 0),
    max_members              integer      NOT NULL CHECK (max_members >= 0),
    storage_gb               integer      NOT NULL CHECK (storage_gb >= 0),
    suggested_price_cents    bigint       NOT NULL CHECK (suggested_price_cents >= 0),
    minimum_price_cents      bigint       NOT NULL CHECK (minimum_price_cents >= 0),
    created_at               timestamptz  NOT NULL,
    version                  bigint       NOT NULL DEFAULT 0
);
