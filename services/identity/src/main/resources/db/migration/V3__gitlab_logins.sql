-- The organisations whose chat signs in with Mattermost's GitLab login: their members need a
-- number (see GitLabShape). One row per instance client in that mode.
CREATE TABLE gitlab_login (
    instance_id       uuid PRIMARY KEY,
    organization_slug varchar(40) NOT NULL
);
CREATE INDEX gitlab_login_organization ON gitlab_login (organization_slug);
