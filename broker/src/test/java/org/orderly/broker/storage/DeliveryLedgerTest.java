package org.orderly.broker.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderly.broker.db.Database;
import org.orderly.broker.storage.DeliveryLedger.Entry;
import org.orderly.broker.storage.DeliveryLedger.State;

/** The start-up reconciliation that makes writing DELIVERED rows behind safe. */
class DeliveryLedgerTest {
    private static final String PACS = "PACS@127.0.0.1:11112";
    private static final String ARCHIVE = "ARCHIVE@127.0.0.1:11113";

    @Test
    void aPendingRowWhoseLinkIsGoneIsRecordedDeliveredOthersStay(@TempDir Path tmp) throws Exception {
        Path links = Files.createDirectories(tmp.resolve("dest"));
        try (Database db = Database.open(tmp.resolve("db"))) {
            DeliveryLedger ledger = new DeliveryLedger(db.dataSource(), db.writeBehindDataSource());
            // 1.2.1: sent to PACS, its DELIVERED row lost in a crash; still waiting for ARCHIVE (link present)
            ledger.record("1.2.1", PACS, "s1-1", State.PENDING, 0, null);
            ledger.record("1.2.1", ARCHIVE, "s1-1", State.PENDING, 0, null);
            Files.createFile(links.resolve(ARCHIVE + "-s1-1.dcm"));
            // 1.2.2: dead-lettered, its link kept; 1.2.3: no destination
            ledger.record("1.2.2", PACS, "s2-1", State.FAILED, 10, "refused");
            ledger.record("1.2.3", DeliveryLedger.NO_DESTINATION, "s3-1", State.UNROUTED, 0, null);

            int n = ledger.reconcile((dest, id) -> links.resolve(dest + "-" + id + ".dcm"));

            assertEquals(1, n);
            assertEquals(List.of(new Entry(ARCHIVE, State.PENDING, 0, null), new Entry(PACS, State.DELIVERED, 1, null)),
                    ledger.entries("1.2.1").stream().sorted((a, b) -> a.destination().compareTo(b.destination()))
                            .toList());
            assertEquals(State.FAILED, ledger.entries("1.2.2").get(0).state());
            assertEquals(State.UNROUTED, ledger.entries("1.2.3").get(0).state());
        }
    }
}
