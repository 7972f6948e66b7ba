-- The hoster's themes: each is a room on the commons server, and the subject of rooms members open.
CREATE TABLE theme (
    slug           varchar(40)  PRIMARY KEY,
    name_fr        varchar(80)  NOT NULL,
    name_en        varchar(80)  NOT NULL,
    description_fr varchar(300),
    description_en varchar(300),
    position       integer      NOT NULL,
    created_at     timestamptz  NOT NULL,
    updated_at     timestamptz  NOT NULL,
    version        bigint       NOT NULL
);

-- The rooms of the commons server: each theme's own, and those members open. Desired state here,
-- brought to the server by RoomSync; room_id is known once the server made the room.
CREATE TABLE room (
    id             uuid         PRIMARY KEY,
    theme_slug     varchar(40)  NOT NULL REFERENCES theme (slug),
    alias          varchar(60)  NOT NULL UNIQUE,
    name           varchar(80)  NOT NULL,
    topic          varchar(500),
    main           boolean      NOT NULL,
    opened_by      varchar(64),
    state          varchar(20)  NOT NULL CHECK (state IN ('requested', 'open', 'archiving', 'archived')),
    room_id        varchar(255) UNIQUE,
    members        integer      NOT NULL DEFAULT 0,
    reason         varchar(1000),
    attempts       integer      NOT NULL DEFAULT 0,
    created_at     timestamptz  NOT NULL,
    updated_at     timestamptz  NOT NULL,
    archived_at    timestamptz,
    version        bigint       NOT NULL
);
CREATE UNIQUE INDEX room_main_per_theme ON room (theme_slug) WHERE main;
CREATE INDEX room_by_theme ON room (theme_slug, created_at, id);
CREATE INDEX room_opened_by ON room (opened_by, created_at) WHERE opened_by IS NOT NULL;
CREATE INDEX room_pending ON room (state) WHERE state IN ('requested', 'archiving');

-- What the commons service made once on the server: the Space that groups the thematic rooms.
CREATE TABLE server_object (
    name       varchar(40)  PRIMARY KEY,
    server     varchar(255) NOT NULL,
    matrix_id  varchar(255) NOT NULL,
    created_at timestamptz  NOT NULL
);

-- The themes each organisation works on (shown on its page).
CREATE TABLE organization_theme (
    organization_slug varchar(40) NOT NULL,
    theme_slug        varchar(40) NOT NULL REFERENCES theme (slug),
    PRIMARY KEY (organization_slug, theme_slug)
);

-- Who belongs to which organisation, followed from identity's membership feed (libs/membership).
CREATE TABLE organization_member (
    organization_slug varchar(40) NOT NULL,
    user_id           varchar(64) NOT NULL,
    role              varchar(10) NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    PRIMARY KEY (organization_slug, user_id)
);
CREATE INDEX organization_member_by_user ON organization_member (user_id);
CREATE TABLE feed_position (
    feed       varchar(40) PRIMARY KEY,
    last_id    bigint      NOT NULL,
    updated_at timestamptz NOT NULL
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
