-- A custom domain is proven before it counts (docs/adr/0028): the value its TXT record must hold,
-- and when DNS first showed it. Domains already routed before the proof existed stay routed: they
-- are marked proven at once (the operator can clear domain_proven_at to ask for a proof).
ALTER TABLE instance ADD COLUMN domain_proof varchar(64);
ALTER TABLE instance ADD COLUMN domain_proven_at timestamptz;
UPDATE instance SET domain_proof = md5(random()::text || id::text), domain_proven_at = now()
  WHERE custom_domain IS NOT NULL;
