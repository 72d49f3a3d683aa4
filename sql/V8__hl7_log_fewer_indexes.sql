-- HL7 message log: keep only the indexes the intake and the admin search need.
--
-- Every index of a table written in the intake's transaction is one more B-tree whose changed pages
-- H2 serializes at each commit (WRITE_DELAY=0, see broker Database): per new order the log alone
-- touched seven. Kept: the primary key (search pages newest first by id), uq_hl7_applied_key (exactly
-- once, HL7 v2.5.1 2.10.1), received_at (time ranges, purge) and control_id (the admin's first lookup).
-- Dropped: type, outcome and facility+control. The search orders by id descending and stops at its
-- limit, so a filter on type or outcome reads the newest rows until it has a page of matches.
DROP INDEX ix_hl7_log_sender_control;
DROP INDEX ix_hl7_log_type;
DROP INDEX ix_hl7_log_outcome;
