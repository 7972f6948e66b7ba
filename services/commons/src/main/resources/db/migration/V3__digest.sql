-- When an organisation chose each of its themes: a newcomer on a theme is news for the others.
ALTER TABLE organization_theme ADD COLUMN chosen_at timestamptz NOT NULL DEFAULT now();

-- The people who asked for the weekly digest of the commons (opt-in, one row a person).
CREATE TABLE digest_subscription (
    user_id       varchar(64)  PRIMARY KEY,
    email         varchar(320) NOT NULL,
    language      varchar(2)   NOT NULL CHECK (language IN ('fr', 'en')),
    subscribed_at timestamptz  NOT NULL,
    last_sent_at  timestamptz
);
