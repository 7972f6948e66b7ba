-- Matrix instances whose members sign in through the Matrix Authentication Service beside the
-- server (docs/adr/0038). Existing instances keep Synapse's own single sign-on.
ALTER TABLE instance ADD COLUMN auth_service boolean NOT NULL DEFAULT false;
