-- V9: MPPS tables keep their values in the row, as V7 did for the worklist and the HL7 log.
-- Forward-only: never edit this file once released; add a later V<n>__...sql instead.
--
-- As BLOB / CLOB, H2 keeps every value longer than 256 bytes in its separate LOB maps. A 10,000-procedure
-- run (docs/benchmarks.md, MPPS) failed three times in the mpps-ris route with H2's
--   General error: "java.lang.NullPointerException: Cannot read field "streamStoreId" ..."
-- reading an MPPS's LOB while the N-SET of the same MPPS replaced it (JMS redelivered them; nothing was lost,
-- but a status message was late). In-row VARBINARY / VARCHAR values have no such separate life. Without a
-- length H2 allows up to 1,000,000,000 bytes, so an MPPS listing tens of thousands of images still fits.
-- H2 converts the stored values in place. (PostgreSQL: bytea / text.)
ALTER TABLE mpps ALTER COLUMN dataset SET DATA TYPE VARBINARY;
ALTER TABLE mpps_event ALTER COLUMN attributes SET DATA TYPE VARBINARY;
ALTER TABLE ris_outbound ALTER COLUMN message SET DATA TYPE VARCHAR;
