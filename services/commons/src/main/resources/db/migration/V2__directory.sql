-- The directory of the commons: the rooms associations publish from their own servers' public room
-- lists, beside the commons server's thematic rooms, searched in French and English.
-- unaccent and pg_trgm are trusted extensions: the database's owner creates them (in public, so
-- that every schema of the database finds them).
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- unaccent() is only STABLE (its dictionary could change); the index needs an immutable one.
CREATE FUNCTION directory_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

CREATE TABLE listing (
    id                uuid          PRIMARY KEY,
    -- null for a room of the commons server (the room table says which)
    organization_slug varchar(40),
    commons_room_id   uuid          UNIQUE REFERENCES room (id),
    server_name       varchar(255)  NOT NULL,
    room_id           varchar(255)  NOT NULL,
    alias             varchar(255),
    name              varchar(255)  NOT NULL,
    topic             varchar(1000),
    themes            varchar(40)[] NOT NULL,
    tags              varchar(40)[] NOT NULL DEFAULT '{}',
    -- the themes' names in both languages and the tags: what the theme filter's words are
    theme_words       varchar(2000) NOT NULL DEFAULT '',
    description_fr    varchar(500),
    description_en    varchar(500),
    language          varchar(5)    NOT NULL CHECK (language IN ('fr', 'en', 'fr-en')),
    state             varchar(20)   NOT NULL
        CHECK (state IN ('listed', 'gone', 'unpublished', 'hidden')),
    reason            varchar(1000),
    members           integer       NOT NULL DEFAULT 0,
    growth            integer       NOT NULL DEFAULT 0,
    published_by      varchar(64),
    published_at      timestamptz   NOT NULL,
    seen_at           timestamptz   NOT NULL,
    changed_at        timestamptz   NOT NULL,
    version           bigint        NOT NULL,
    document          tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('french', directory_fold(name)), 'A')
        || setweight(to_tsvector('english', directory_fold(name)), 'A')
        || setweight(to_tsvector('french', directory_fold(theme_words)), 'B')
        || setweight(to_tsvector('english', directory_fold(theme_words)), 'B')
        || setweight(to_tsvector('french', directory_fold(
               coalesce(topic, '') || ' ' || coalesce(description_fr, ''))), 'C')
        || setweight(to_tsvector('english', directory_fold(
               coalesce(topic, '') || ' ' || coalesce(description_en, ''))), 'C')) STORED,
    -- what typos are forgiven against: the name and the themes' words
    words             text GENERATED ALWAYS AS (directory_fold(name || ' ' || theme_words)) STORED,
    UNIQUE (server_name, room_id)
);
CREATE INDEX listing_document ON listing USING gin (document);
CREATE INDEX listing_words ON listing USING gin (words public.gin_trgm_ops);
CREATE INDEX listing_themes ON listing USING gin (themes);
CREATE INDEX listing_by_organization ON listing (organization_slug, state);
CREATE INDEX listing_new ON listing (published_at DESC, id) WHERE state = 'listed';

-- Joined members of a listed room, one figure a day: the growth over the last 7 days.
CREATE TABLE listing_activity (
    listing_id uuid    NOT NULL REFERENCES listing (id) ON DELETE CASCADE,
    day        date    NOT NULL,
    members    integer NOT NULL,
    PRIMARY KEY (listing_id, day)
);

-- What the last refresh of each association's server found.
CREATE TABLE directory_server (
    server_name       varchar(255) PRIMARY KEY,
    organization_slug varchar(40)  NOT NULL,
    url               varchar(300) NOT NULL,
    refreshed_at      timestamptz,
    stale_since       timestamptz,
    error             varchar(1000)
);

-- Reports of listings by signed-in people, for the hoster's queue.
CREATE TABLE listing_report (
    id          uuid          PRIMARY KEY,
    listing_id  uuid          NOT NULL REFERENCES listing (id),
    reported_by varchar(64)   NOT NULL,
    reason      varchar(1000) NOT NULL,
    created_at  timestamptz   NOT NULL,
    resolved_at timestamptz,
    resolution  varchar(20)   CHECK (resolution IN ('hidden', 'kept'))
);
CREATE INDEX listing_report_open ON listing_report (created_at) WHERE resolved_at IS NULL;
