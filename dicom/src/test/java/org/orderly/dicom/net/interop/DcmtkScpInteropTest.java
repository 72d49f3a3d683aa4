package org.orderly.dicom.net.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.net.DicomClient;
import org.orderly.dicom.net.DimseResponse;
import org.orderly.dicom.net.dimse.Status;

/** Our SCU against dcmtk SCPs: storescp (C-ECHO, C-STORE) and wlmscpfs (C-ECHO, C-FIND worklist). */
class DcmtkScpInteropTest {

    private static final Duration T = Duration.ofSeconds(60);

    @Test
    void echoAndStoreToStorescp(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        int port = Peers.freePort();
        List<Path> sent = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            sent.add(TestImages.write(dir.resolve(i + ".dcm"), UID.CTImageStorage, "2.25.9100" + i, 256, 256 * i,
                    i));
        }
        // +B: bit-preserving, storescp writes the data set exactly as received
        try (Peers.Server scp = Peers.start(dir.resolve("storescp.log"), port, Peers.require("storescp"), "-od",
                out.toString(), "+B", "-aet", "STORESCP", Integer.toString(port));
                DicomClient c = DicomClient.to("STORESCP@127.0.0.1:" + port).callingAe("ORDERLY")
                        .context(UID.Verification).context(UID.CTImageStorage, UID.ExplicitVRLittleEndian)
                        .connect()) {
            assertEquals(Status.SUCCESS, c.echo());
            for (Path f : sent) {
                DimseResponse rsp = c.store(f);
                assertEquals(Status.SUCCESS, rsp.status(), rsp.toString());
            }
            c.release();
        }
        List<Path> written;
        try (Stream<Path> s = Files.list(out)) {
            written = s.sorted().toList();
        }
        assertEquals(3, written.size(), written.toString());
        for (Path f : sent) {
            String iuid = "2.25.9100" + f.getFileName().toString().charAt(0);
            Path got = written.stream().filter(p -> p.getFileName().toString().endsWith(iuid)).findFirst()
                    .orElseThrow(() -> new AssertionError("storescp wrote no file for " + iuid + ": " + written));
            assertEquals(TestImages.datasetDigest(f), TestImages.datasetDigest(got), "data set of " + iuid);
            Peers.Result dump = Peers.run(T, Peers.require("dcmdump"), "-M", got.toString()).assertExit(0);
            assertTrue(dump.output().contains("(7fe0,0010) OW"), dump.output());
            assertTrue(dump.output().contains(iuid), dump.output());
        }
    }

    @Test
    void echoAndFindAgainstWlmscpfs(@TempDir Path dir) throws Exception {
        Path db = Files.createDirectories(dir.resolve("db/WLMSCP"));
        Files.createFile(db.resolve("lockfile"));
        String dump2dcm = Peers.require("dump2dcm");
        for (int i = 1; i <= 3; i++) {
            Path txt = dir.resolve("item" + i + ".dump");
            Files.writeString(txt, worklistDump("ACC00" + i, i == 3 ? "MR1" : "CT1"));
            Peers.run(T, dump2dcm, txt.toString(), db.resolve("item" + i + ".wl").toString()).assertExit(0);
        }
        int port = Peers.freePort();
        try (Peers.Server scp = Peers.start(dir.resolve("wlm.log"), port, Peers.require("wlmscpfs"), "-dfp",
                dir.resolve("db").toString(), Integer.toString(port));
                DicomClient c = DicomClient.connect("WLMSCP@127.0.0.1:" + port, "CT1", UID.Verification,
                        UID.ModalityWorklistInformationModelFind)) {
            assertEquals(Status.SUCCESS, c.echo());
            Attributes keys = new Attributes();
            keys.setNull(Tag.AccessionNumber, VR.SH);
            keys.setNull(Tag.PatientName, VR.PN);
            keys.setNull(Tag.PatientID, VR.LO);
            Attributes sps = keys.newSequence(Tag.ScheduledProcedureStepSequence).addNewItem();
            sps.setString(Tag.ScheduledStationAETitle, VR.AE, "CT1");
            sps.setNull(Tag.Modality, VR.CS);
            sps.setNull(Tag.ScheduledProcedureStepStartDate, VR.DA);
            List<String> accessions = new ArrayList<>();
            DimseResponse last = c.find(UID.ModalityWorklistInformationModelFind, keys,
                    m -> accessions.add(m.getString(Tag.AccessionNumber)));
            assertEquals(Status.SUCCESS, last.status(), last.toString());
            accessions.sort(null);
            assertEquals(List.of("ACC001", "ACC002"), accessions);
        }
    }

    /** A worklist item as dump2dcm text, modelled on dcmtk's examples/wlistdb. */
    static String worklistDump(String accession, String stationAe) {
        return String.join("\n",
                "(0008,0005) CS [ISO_IR 100]",
                "(0008,0050) SH [" + accession + "]",
                "(0010,0010) PN [DOE^JOHN]",
                "(0010,0020) LO [PID-" + accession + "]",
                "(0010,0030) DA [19700101]",
                "(0010,0040) CS [M]",
                "(0020,000d) UI [2.25.5555" + accession.substring(3) + "]",
                "(0032,1060) LO [CT HEAD]",
                "(0040,0100) SQ (Sequence with undefined length)",
                "(fffe,e000) na (Item with undefined length)",
                "(0008,0060) CS [CT]",
                "(0040,0001) AE [" + stationAe + "]",
                "(0040,0002) DA [20240101]",
                "(0040,0003) TM [080000]",
                "(0040,0007) LO [HEAD]",
                "(0040,0009) SH [SPS" + accession + "]",
                "(fffe,e00d) na (ItemDelimitationItem)",
                "(fffe,e0dd) na (SequenceDelimitationItem)",
                "(0040,1001) SH [RP" + accession + "]",
                "");
    }
}
