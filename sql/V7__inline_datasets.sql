-- V7: store path costs (issues #4 and #5, measured with JFR; docs/benchmarks.md).
-- Forward-only: never edit this file once released; add a later V<n>__...sql instead.
--
-- 1. Worklist items, patient attributes and HL7 messages are a few hundred bytes to a few KB. As
--    BLOB, H2 keeps every value longer than 256 bytes in its separate LOB maps: an insert writes
--    three more maps per commit, and every SELECT of the column copies the LOB into a temporary
--    LOB, so that even a read-only C-FIND ends with a transaction that has changes and writes a
--    chunk to the file when it is rolled back. VARBINARY keeps the bytes in the row. H2 converts
--    the stored values in place. (PostgreSQL: bytea.)
ALTER TABLE scheduled_procedure_step ALTER COLUMN dataset SET DATA TYPE VARBINARY;
ALTER TABLE patient ALTER COLUMN dataset SET DATA TYPE VARBINARY;
ALTER TABLE hl7_message_log ALTER COLUMN raw SET DATA TYPE VARBINARY;

-- 2. Identity columns hand out values from a cache of 32 by default; when it is used up, H2
--    records the new high-water mark in a commit of its own, which with WRITE_DELAY=0 is one more
--    write to the file per 32 rows and table. A cache of 1,000 makes that rare; a crash only
--    leaves a gap in the numbering.
ALTER TABLE patient ALTER COLUMN id SET CACHE 1000;
ALTER TABLE requested_procedure ALTER COLUMN id SET CACHE 1000;
ALTER TABLE scheduled_procedure_step ALTER COLUMN id SET CACHE 1000;
ALTER TABLE hl7_message_log ALTER COLUMN id SET CACHE 1000;
ALTER TABLE mwl_query_log ALTER COLUMN id SET CACHE 1000;

-- 3. Every index is one more B-tree whose changed pages each commit writes. The station AE
--    condition of a C-FIND reads step_station_ae (ae_title, sps_start) since V2; nothing reads
--    this copy any more.
DROP INDEX ix_sps_station_ae_start;
