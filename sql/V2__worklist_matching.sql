-- V2: worklist store and matching keys for the MWL C-FIND (PS3.4 §K.6.1.2, Table K.6-1).
-- Owned by module mwl (org.orderly.mwl.store.WorklistStore). Plain SQL that H2 and PostgreSQL both run.
--
-- Layout: scheduled_procedure_step.dataset (V1) holds the COMPLETE worklist item, Explicit VR Little
-- Endian (patient + visit + imaging service request + requested procedure attributes and a Scheduled
-- Procedure Step Sequence with exactly one item). The item's own patient keys are copied onto the step
-- row so that a query needs no join to patient; station AE titles (VM 1-n) live in step_station_ae with
-- a copy of sps_start, so that "station AE + date range" is one index range scan.
-- V1's tables and columns keep their meaning, so org.orderly.broker.schedule.WorklistPurge still works:
-- step_station_ae rows go with their step (ON DELETE CASCADE).

-- A40 merge bookkeeping: the patient this one was merged into (NULL = not merged), and the
-- patient-level attributes as last received (Explicit VR LE; NULL for rows written before V2).
ALTER TABLE patient ADD COLUMN dataset BLOB;
ALTER TABLE patient ADD COLUMN merged_into_fk BIGINT;
ALTER TABLE patient ADD CONSTRAINT fk_patient_merged_into FOREIGN KEY (merged_into_fk) REFERENCES patient (id) ON DELETE SET NULL;

-- The order's key: (sender, placer order number); sender = the sending application/facility
-- namespace (MSH-3/MSH-4), '' when unknown. Worklist Label (0074,1202) LO is a matching key.
ALTER TABLE requested_procedure ADD COLUMN sender VARCHAR(200) DEFAULT '' NOT NULL;
ALTER TABLE requested_procedure ADD COLUMN worklist_label VARCHAR(64);
CREATE UNIQUE INDEX uq_rp_sender_placer ON requested_procedure (sender, placer_order_number);
CREATE INDEX ix_rp_sender_accession ON requested_procedure (sender, accession_number);
CREATE INDEX ix_rp_requested_procedure_id ON requested_procedure (requested_procedure_id);
CREATE INDEX ix_rp_worklist_label ON requested_procedure (worklist_label);

-- The item's patient keys (as in its dataset). patient_name_norm: upper case, accents stripped
-- (Unicode NFD without combining marks), for case-/accent-insensitive PN matching (PS3.4 §C.2.2.2.1).
ALTER TABLE scheduled_procedure_step ADD COLUMN patient_id VARCHAR(64);
ALTER TABLE scheduled_procedure_step ADD COLUMN issuer_of_patient_id VARCHAR(64);
ALTER TABLE scheduled_procedure_step ADD COLUMN patient_name VARCHAR(400);
ALTER TABLE scheduled_procedure_step ADD COLUMN patient_name_norm VARCHAR(400);
ALTER TABLE scheduled_procedure_step ADD COLUMN sps_location VARCHAR(64);
CREATE INDEX ix_sps_status_start ON scheduled_procedure_step (status, sps_start);
CREATE INDEX ix_sps_sps_id ON scheduled_procedure_step (sps_id);
CREATE INDEX ix_sps_patient ON scheduled_procedure_step (patient_id, issuer_of_patient_id);
CREATE INDEX ix_sps_patient_name ON scheduled_procedure_step (patient_name);
CREATE INDEX ix_sps_patient_name_norm ON scheduled_procedure_step (patient_name_norm);

-- Scheduled Station AE Title (0040,0001) AE, VM 1-n: one row per value.
CREATE TABLE step_station_ae (
    step_fk     BIGINT      NOT NULL REFERENCES scheduled_procedure_step (id) ON DELETE CASCADE,
    ae_title    VARCHAR(16) NOT NULL,
    sps_start   TIMESTAMP   NOT NULL,   -- copy of scheduled_procedure_step.sps_start
    CONSTRAINT pk_step_station_ae PRIMARY KEY (step_fk, ae_title)
);
CREATE INDEX ix_step_station_ae_start ON step_station_ae (ae_title, sps_start);

-- V1's single-column status index is a prefix of ix_sps_status_start: drop it so that the planner has one choice.
DROP INDEX ix_sps_status;
