-- The generation whose objects the runtime has applied: an instance that only waits for its server
-- to answer is asked again without redoing every step.
ALTER TABLE instance ADD COLUMN applied_generation bigint NOT NULL DEFAULT 0;
