-- The delivery log an organisation reads: what each delivery was about and how its last attempt went.
ALTER TABLE webhook_delivery
    ADD COLUMN event_type      varchar(100),
    ADD COLUMN last_status     integer,
    ADD COLUMN last_attempt_at timestamptz;
CREATE INDEX webhook_delivery_by_webhook ON webhook_delivery (webhook_id, id DESC);
