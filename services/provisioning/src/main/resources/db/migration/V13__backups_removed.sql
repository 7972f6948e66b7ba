-- A backup past its plan's number is removed from storage; its row stays (restores name it), marked.
ALTER TABLE instance_backup DROP CONSTRAINT instance_backup_state_check;
ALTER TABLE instance_backup ADD CONSTRAINT instance_backup_state_check
    CHECK (state IN ('running', 'done', 'failed', 'removed'));
