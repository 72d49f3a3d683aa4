package org.orderly.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.net.acse.AssociationRejectedException;
import org.orderly.dicom.net.dimse.Status;
import org.orderly.dicom.net.pdu.AssociateRj;

/** 200 of our clients hold an association and echo at once; the server's threads stay bounded. */
class ConcurrentAssociationsTest {

    @Test
    void twoHundredAssociationsAtOnceWithBoundedThreads() throws Exception {
        int n = 200;
        DicomServer server = DicomServer.builder("ORDERLY").port(0).maxAssociations(n).build().start();
        ExecutorService clients = Executors.newFixedThreadPool(n);
        CountDownLatch allEchoed = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        try {
            List<Future<Status>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String ae = "SCU" + i;
                results.add(clients.submit(() -> {
                    try (DicomClient c = DicomClient.connect("ORDERLY@127.0.0.1:" + server.port(), ae,
                            UID.Verification)) {
                        Status s = c.echo();
                        allEchoed.countDown();
                        release.await(60, TimeUnit.SECONDS); // hold the association until all are up
                        return s.equals(Status.SUCCESS) ? c.echo() : s;
                    }
                }));
            }
            assertTrue(allEchoed.await(60, TimeUnit.SECONDS), "all " + n + " associations echoed");
            assertEquals(n, server.activeAssociations());
            long serverThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("orderly-assoc")).count();
            assertTrue(serverThreads <= n, "association threads bounded: " + serverThreads);
            // one more is refused: A-ASSOCIATE-RJ rejected-transient, local limit exceeded (PS3.8 Table 9-21)
            AssociationRejectedException rj = assertThrows(AssociationRejectedException.class,
                    () -> DicomClient.connect("ORDERLY@127.0.0.1:" + server.port(), "ONEMORE", UID.Verification));
            assertEquals(AssociateRj.Result.REJECTED_TRANSIENT, rj.rejection().result());
            release.countDown();
            for (Future<Status> f : results) {
                assertEquals(Status.SUCCESS, f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            release.countDown();
            clients.shutdownNow();
            server.stop(Duration.ofSeconds(5));
        }
    }
}
