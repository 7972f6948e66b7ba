-- An organisation may use again the slug of an instance it deleted: only live instances hold a slug.
ALTER TABLE instance DROP CONSTRAINT instance_organization_slug_slug_key;
CREATE UNIQUE INDEX instance_live_slug ON instance (organization_slug, slug) WHERE state <> 'deleted';
