-- Image routing (issue #7): what became of each received object at each destination.
-- The spool files themselves are the durable truth of "not yet delivered" (one hard link per
-- destination under <data-dir>/spool/dest/); this table is the ledger that Storage Commitment
-- (PS3.4 Annex J) and the admin read.
CREATE TABLE storage_delivery (
    sop_instance_uid VARCHAR(64)  NOT NULL,
    destination      VARCHAR(200) NOT NULL,  -- AE@host:port, or '-' for "no destination matched"
    object_id        VARCHAR(64)  NOT NULL,
    state            VARCHAR(16)  NOT NULL,  -- PENDING | DELIVERED | FAILED | UNROUTED
    attempts         INT          DEFAULT 0 NOT NULL,
    last_error       VARCHAR(256),
    updated_at       TIMESTAMP    NOT NULL,
    PRIMARY KEY (sop_instance_uid, destination)
);
CREATE INDEX storage_delivery_state ON storage_delivery (state);
