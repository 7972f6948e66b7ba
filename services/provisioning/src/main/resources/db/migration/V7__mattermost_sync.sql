-- What the last sync of an instance's Mattermost accounts found (login mode "accounts"): the
-- instance's AccountsSynced condition. Written only when it changes; changed_at moves only when
-- synced does.
CREATE TABLE mattermost_sync (
    instance_id uuid        PRIMARY KEY REFERENCES instance (id) ON DELETE CASCADE,
    synced      boolean     NOT NULL,
    message     text        NOT NULL,
    changed_at  timestamptz NOT NULL
);
