-- Mattermost accounts the platform made for members (login mode "accounts"): what it last wrote,
-- so that a sync only calls Mattermost for what changed.
CREATE TABLE mattermost_account (
    instance_id        uuid         NOT NULL REFERENCES instance (id) ON DELETE CASCADE,
    user_id            varchar(64)  NOT NULL,
    mattermost_user_id varchar(64)  NOT NULL,
    username           varchar(64)  NOT NULL,
    email              varchar(254) NOT NULL,
    role               varchar(10)  NOT NULL,
    synced_at          timestamptz  NOT NULL,
    PRIMARY KEY (instance_id, user_id)
);
