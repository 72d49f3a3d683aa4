package org.orderly.mwl.scp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.orderly.mwl.testing.Fixtures.order;
import static org.orderly.mwl.testing.Fixtures.patient;
import static org.orderly.mwl.testing.Fixtures.procedure;
import static org.orderly.mwl.testing.Fixtures.step;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.net.DicomClient;
import org.orderly.dicom.net.DicomServer;
import org.orderly.dicom.net.DimseResponse;
import org.orderly.dicom.net.dimse.Status;
import org.orderly.dicom.net.service.DicomServiceRegistry;
import org.orderly.mwl.query.MatchOptions;
import org.orderly.mwl.store.WorklistStore;
import org.orderly.mwl.testing.TestDatabase;

/**
 * C-CANCEL during a worklist query (PS3.4 §C.4.1.3.1.2 / PS3.7 §9.3.2.3): the SCP stops streaming from the store
 * cursor and ends with Cancel (FE00H); the association stays usable.
 */
class MwlFindCancelTest {
    private static final int ITEMS = 500;

    @Test
    void cancelStopsTheQueryAndTheAssociationGoesOn() throws Exception {
        WorklistStore store = new WorklistStore(TestDatabase.create());
        for (int i = 0; i < ITEMS; i++) {
            store.upsertOrder(order(patient("P" + i, null, "CANCEL^TEST" + i), procedure("PL" + i, "A" + i, "1.2.9." + i),
                    step("S" + i, "CT", "20261122", String.format("%02d%02d", (i / 60) % 24, i % 60), "CT1")));
        }
        DicomServiceRegistry registry = new MwlFindScp(store, MatchOptions.DEFAULT.withMaxAnswers(0))
                .register(new DicomServiceRegistry());
        DicomServer server = DicomServer.builder("ORDERLY").port(0).registry(registry).build().start();
        try (DicomClient client = DicomClient.to("ORDERLY@127.0.0.1:" + server.port()).callingAe("CT1")
                .context(UID.ModalityWorklistInformationModelFind).context(UID.Verification).connect()) {
            Attributes keys = new Attributes();
            keys.setNull(Tag.PatientName, VR.PN);
            keys.setNull(Tag.AccessionNumber, VR.SH);
            AtomicInteger matches = new AtomicInteger();
            DimseResponse last = client.find(UID.ModalityWorklistInformationModelFind, keys, m -> {
                if (matches.incrementAndGet() == 1) {
                    try {
                        client.cancel();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
            assertEquals(Status.CANCEL, last.status(), last.toString());
            assertTrue(matches.get() < ITEMS / 2, "stopped early: " + matches.get() + " of " + ITEMS + " answers");

            // the same association serves a complete query afterwards
            AtomicInteger all = new AtomicInteger();
            keys.setString(Tag.PatientName, VR.PN, "CANCEL^TEST1*");
            DimseResponse next = client.find(UID.ModalityWorklistInformationModelFind, keys, m -> all.incrementAndGet());
            assertEquals(Status.SUCCESS, next.status());
            assertEquals(111, all.get()); // TEST1, TEST10-19, TEST100-199
            assertEquals(Status.SUCCESS, client.echo());
            client.release();
        } finally {
            server.stop(Duration.ofSeconds(2));
        }
    }
}
