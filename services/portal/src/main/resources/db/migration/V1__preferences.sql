-- What the portal remembers of a signed-in user: only their language for now.
CREATE TABLE user_preference (
    subject    varchar(64) PRIMARY KEY,
    locale     varchar(5)  NOT NULL CHECK (locale IN ('en', 'fr')),
    updated_at timestamptz NOT NULL
);
