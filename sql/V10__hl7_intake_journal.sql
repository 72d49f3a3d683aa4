-- HL7 intake journal (org.orderly.hl7.intake.IntakeJournal): the database now writes the intake's commits to its
-- file in batches, and the intake makes each message durable in its own journal before the AA. journal_seq is the
-- message's number in that journal; after a crash, recovery handles again the journal's messages whose row is not
-- in the file. Unique: a message is logged once per journal number (NULL for rows from before this version).
ALTER TABLE hl7_message_log ADD COLUMN journal_seq BIGINT;
CREATE UNIQUE INDEX uq_hl7_log_journal_seq ON hl7_message_log (journal_seq);
