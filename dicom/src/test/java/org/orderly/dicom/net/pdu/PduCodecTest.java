package org.orderly.dicom.net.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.orderly.dicom.net.testing.Bytes.ae;
import static org.orderly.dicom.net.testing.Bytes.ascii;
import static org.orderly.dicom.net.testing.Bytes.of;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Encode/decode of every PDU and item against byte fixtures laid out as in PS3.8 §9.3 and PS3.7 Annex D.3.3. */
class PduCodecTest {

    private final PduDecoder decoder = new PduDecoder(16384, PduDecoder.DEFAULT_MAX_ASSOCIATE_LENGTH);

    // A-ASSOCIATE-RQ from CT1 to ORDERLY proposing Verification with Implicit VR LE (PS3.8 Table 9-11)
    static final byte[] ASSOCIATE_RQ = of(
            "01 00 000000AF", // PDU-type 01H, reserved, PDU-length 175 = 68 fixed + 107 items
            "0001 0000", // protocol-version 1, reserved
            ae("ORDERLY"), // called AE title
            ae("CT1"), // calling AE title
            "00000000000000000000000000000000 00000000000000000000000000000000", // 32 reserved bytes
            "10 00 0015", ascii("1.2.840.10008.3.1.1.1"), // application context item, 21 bytes
            "20 00 002E", "01 000000", // presentation context item, 46 bytes: ID 1, 3 reserved
            "30 00 0011", ascii("1.2.840.10008.1.1"), // abstract syntax sub-item: Verification SOP Class
            "40 00 0011", ascii("1.2.840.10008.1.2"), // transfer syntax sub-item: Implicit VR Little Endian
            "50 00 001C", // user information item, 28 bytes
            "51 00 0004 00004000", // maximum length received 16384
            "52 00 0007", ascii("1.2.3.4"), // implementation class UID
            "55 00 0005", ascii("TEST1")); // implementation version name

    @Test
    void associateRqDecodesAndReencodesToTheSameBytes() throws IOException {
        AssociateRq rq = (AssociateRq) decoder.decode(ASSOCIATE_RQ);
        assertEquals(1, rq.protocolVersion());
        assertEquals("ORDERLY", rq.calledAeTitle());
        assertEquals("CT1", rq.callingAeTitle());
        assertEquals(ApplicationContextItem.DICOM, rq.applicationContext());
        assertEquals(List.of(new PresentationContextRqItem(1, "1.2.840.10008.1.1", List.of("1.2.840.10008.1.2"))),
                rq.presentationContexts());
        assertEquals(16384L, rq.userInformation().maximumLength().orElseThrow());
        assertEquals("1.2.3.4", rq.userInformation().implementationClassUid().orElseThrow());
        assertEquals("TEST1", rq.userInformation().implementationVersionName().orElseThrow());
        assertArrayEquals(ASSOCIATE_RQ, rq.toBytes());
        assertEquals(175, rq.pduLength());
        // same result through the stream entry point
        assertEquals(rq, decoder.read(new ByteArrayInputStream(ASSOCIATE_RQ)));
    }

    // A-ASSOCIATE-AC accepting context 1 with Implicit VR LE and rejecting context 3 (PS3.8 Table 9-17, 9-18)
    static final byte[] ASSOCIATE_AC = of(
            "02 00 0000008E", // PDU-type 02H, PDU-length 142 = 68 + 74
            "0001 0000", ae("ORDERLY"), ae("CT1"), // version 1; AE titles echoed from the RQ
            "00000000000000000000000000000000 00000000000000000000000000000000",
            "10 00 0015", ascii("1.2.840.10008.3.1.1.1"), // application context, 25 bytes total
            "21 00 0019", "01 00 00 00", // PC item 25 bytes: ID 1, reserved, result 0 acceptance, reserved
            "40 00 0011", ascii("1.2.840.10008.1.2"), // the accepted transfer syntax
            "21 00 0004", "03 00 03 00", // PC item 4 bytes: ID 3, result 3 abstract-syntax-not-supported
            "50 00 0008", // user information 8 bytes
            "51 00 0004 00008000"); // maximum length received 32768

    @Test
    void associateAcDecodesAndReencodes() throws IOException {
        AssociateAc ac = (AssociateAc) decoder.decode(ASSOCIATE_AC);
        assertEquals(List.of(
                new PresentationContextAcItem(1, PresentationContextAcItem.Result.ACCEPTANCE, "1.2.840.10008.1.2"),
                new PresentationContextAcItem(3, PresentationContextAcItem.Result.ABSTRACT_SYNTAX_NOT_SUPPORTED,
                        null)), ac.presentationContexts());
        assertEquals(32768L, ac.userInformation().maximumLength().orElseThrow());
        assertArrayEquals(ASSOCIATE_AC, ac.toBytes());
    }

    @Test
    void acceptanceWithoutTransferSyntaxIsInvalidButRejectionNeedsNone() {
        byte[] acceptedWithout = ASSOCIATE_AC.clone();
        // make the second context (no TS sub-item) say "acceptance"
        acceptedWithout[6 + 68 + 25 + 29 + 4 + 2] = 0;
        InvalidPduException e = assertThrows(InvalidPduException.class, () -> decoder.decode(acceptedWithout));
        assertEquals(Abort.Reason.INVALID_PDU_PARAMETER_VALUE, e.reason());
    }

    @Test
    void presentationContextResultsHaveTheStandardCodes() {
        int[] codes = PresentationContextAcItem.Result.values().length == 5 ? new int[] {0, 1, 2, 3, 4} : null;
        PresentationContextAcItem.Result[] r = PresentationContextAcItem.Result.values();
        for (int i = 0; i < r.length; i++) {
            assertEquals(codes[i], r[i].code());
        }
        assertEquals("transfer-syntaxes-not-supported (provider rejection)",
                PresentationContextAcItem.Result.TRANSFER_SYNTAXES_NOT_SUPPORTED.standardName());
    }

    @Test
    void associateRj() throws IOException {
        // PDU-type 03H, length 4, reserved, result 1 rejected-permanent, source 1 service-user, reason 7
        byte[] calledAe = of("03 00 00000004 00 01 01 07");
        AssociateRj rj = (AssociateRj) decoder.decode(calledAe);
        assertEquals(AssociateRj.Reason.CALLED_AE_TITLE_NOT_RECOGNIZED, rj.reason());
        assertArrayEquals(calledAe, AssociateRj.of(AssociateRj.Result.REJECTED_PERMANENT,
                AssociateRj.Reason.CALLED_AE_TITLE_NOT_RECOGNIZED).toBytes());
        // 1/1/3 calling AE, 1/1/2 application context, 1/2/2 protocol version, 2/3/2 local limit, 2/3/1 congestion
        assertArrayEquals(of("03 00 00000004 00 01 01 03"), AssociateRj.of(AssociateRj.Result.REJECTED_PERMANENT,
                AssociateRj.Reason.CALLING_AE_TITLE_NOT_RECOGNIZED).toBytes());
        assertArrayEquals(of("03 00 00000004 00 01 01 02"), AssociateRj.of(AssociateRj.Result.REJECTED_PERMANENT,
                AssociateRj.Reason.APPLICATION_CONTEXT_NAME_NOT_SUPPORTED).toBytes());
        assertArrayEquals(of("03 00 00000004 00 01 02 02"), AssociateRj.of(AssociateRj.Result.REJECTED_PERMANENT,
                AssociateRj.Reason.PROTOCOL_VERSION_NOT_SUPPORTED).toBytes());
        assertArrayEquals(of("03 00 00000004 00 02 03 02"), AssociateRj.of(AssociateRj.Result.REJECTED_TRANSIENT,
                AssociateRj.Reason.LOCAL_LIMIT_EXCEEDED).toBytes());
        assertArrayEquals(of("03 00 00000004 00 02 03 01"), AssociateRj.of(AssociateRj.Result.REJECTED_TRANSIENT,
                AssociateRj.Reason.TEMPORARY_CONGESTION).toBytes());
        // reserved reason values decode (not named) rather than abort
        assertNull(((AssociateRj) decoder.decode(of("03 00 00000004 00 01 01 05"))).reason());
        // result 3 is undefined
        assertThrows(InvalidPduException.class, () -> decoder.decode(of("03 00 00000004 00 03 01 01")));
    }

    @Test
    void releaseAndAbort() throws IOException {
        assertArrayEquals(of("05 00 00000004 00000000"), ReleaseRq.INSTANCE.toBytes());
        assertArrayEquals(of("06 00 00000004 00000000"), ReleaseRp.INSTANCE.toBytes());
        // reserved bytes are not tested when received, PS3.8 Table 9-24
        assertEquals(ReleaseRq.INSTANCE, decoder.decode(of("05 00 00000004 DEADBEEF")));
        assertEquals(ReleaseRp.INSTANCE, decoder.decode(of("06 00 00000004 00000000")));
        // A-ABORT: reserved x2, source 2 service-provider, reason 1 unrecognized-PDU (PS3.8 Table 9-26)
        byte[] abort = of("07 00 00000004 00 00 02 01");
        assertEquals(new Abort(Abort.Source.SERVICE_PROVIDER, Abort.Reason.UNRECOGNIZED_PDU), decoder.decode(abort));
        assertArrayEquals(abort, new Abort(Abort.Source.SERVICE_PROVIDER, Abort.Reason.UNRECOGNIZED_PDU).toBytes());
        // service-user abort: reason not significant, sent as 00 and ignored when received
        assertArrayEquals(of("07 00 00000004 00 00 00 00"), Abort.BY_SERVICE_USER.toBytes());
        assertEquals(Abort.BY_SERVICE_USER, decoder.decode(of("07 00 00000004 00 00 00 05")));
        // provider reason 7 is undefined
        assertThrows(InvalidPduException.class, () -> decoder.decode(of("07 00 00000004 00 00 02 07")));
    }

    @Test
    void pDataTfWithTwoPdvs() throws IOException {
        byte[] pdata = of("04 00 00000010", // PDU-type 04H, length 16
                "00000006 01 03 AABBCCDD", // PDV: length 6, pcid 1, header 03 = command + last, 4 bytes
                "00000002 03 02"); // PDV: length 2, pcid 3, header 02 = data set + last, empty fragment
        PDataTf tf = (PDataTf) decoder.decode(pdata);
        PresentationDataValue a = tf.values().get(0);
        assertEquals(1, a.presentationContextId());
        assertTrue(a.isCommand());
        assertTrue(a.isLast());
        assertArrayEquals(of("AABBCCDD"), a.fragment());
        PresentationDataValue b = tf.values().get(1);
        assertFalse(b.isCommand());
        assertTrue(b.isLast());
        assertEquals(0, b.length());
        assertArrayEquals(pdata, tf.toBytes());
        // PS3.8 Annex E.2: bit 0 command/data set, bit 1 last fragment
        assertEquals(0x00, new PresentationDataValue(1, false, false, new byte[0]).messageControlHeader());
        assertEquals(0x01, new PresentationDataValue(1, true, false, new byte[0]).messageControlHeader());
        assertEquals(0x02, new PresentationDataValue(1, false, true, new byte[0]).messageControlHeader());
        assertEquals(0x03, new PresentationDataValue(1, true, true, new byte[0]).messageControlHeader());
    }

    @Test
    void everyUserInformationSubItem() throws IOException {
        byte[] value = of(
                "51 00 0004 00000000", // maximum length 0 = unlimited
                "52 00 0003", ascii("1.2"), // implementation class UID
                "53 00 0004 0005 0003", // async ops window: invoked 5, performed 3
                "54 00 0007 0003", ascii("1.2"), "01 00", // role selection: UID length 3, SCU yes, SCP no
                "55 00 0002", ascii("V1"), // implementation version name
                "56 00 0007 0003", ascii("1.2"), "01 02", // extended negotiation: UID + 2 application info bytes
                "57 00 000E 0003", ascii("1.2"), "0001", ascii("3"), "0004 0002", ascii("45"), // common ext. neg.
                "58 00 000A 02 01 0002", ascii("id"), "0002", ascii("pw"), // user identity RQ: type 2, response
                "59 00 0003 0001", ascii("x"), // user identity AC: server response "x"
                "77 00 0002 ABCD"); // unknown sub-item 77H: kept, not interpreted (PS3.7 Annex D.3.3)
        UserInformationItem ui = UserInformationItem.decode(PduInput.of(value, "test"));
        List<UserSubItem> s = ui.subItems();
        assertEquals(new MaximumLengthSubItem(0), s.get(0));
        assertEquals(new ImplementationClassUidSubItem("1.2"), s.get(1));
        assertEquals(new AsynchronousOperationsWindowSubItem(5, 3), s.get(2));
        assertEquals(new ScpScuRoleSelectionSubItem("1.2", true, false), s.get(3));
        assertEquals(new ImplementationVersionNameSubItem("V1"), s.get(4));
        assertEquals(new SopClassExtendedNegotiationSubItem("1.2", of("0102")), s.get(5));
        assertEquals(new SopClassCommonExtendedNegotiationSubItem("1.2", "3", List.of("45")), s.get(6));
        assertEquals(new UserIdentityRq(2, true, ascii("id"), ascii("pw")), s.get(7));
        assertEquals(new UserIdentityAc(ascii("x")), s.get(8));
        assertEquals(new UnknownUserSubItem(0x77, of("ABCD")), s.get(9));
        assertArrayEquals(value, ui.encodeValue());
        assertFalse(s.get(7).toString().contains("pw"), "credentials never in toString");
    }

    @Test
    void uidNulPaddingToleratedOnDecode() throws IOException {
        UserInformationItem ui = UserInformationItem.decode(PduInput.of(of("52 00 0004", ascii("1.2"), "00"), "t"));
        assertEquals("1.2", ui.implementationClassUid().orElseThrow());
    }

    // ------------------------------------------------------------------ invalid input -> InvalidPduException

    private void assertInvalid(byte[] pdu, Abort.Reason reason) {
        InvalidPduException e = assertThrows(InvalidPduException.class,
                () -> decoder.read(new ByteArrayInputStream(pdu)));
        assertEquals(reason, e.reason(), e.getMessage());
    }

    @Test
    void readTransientDecodesLikeReadWhileReusingOneBuffer() throws IOException {
        byte[] small = of("04 00 0000000A", "00000006 01 00 01020304");
        byte[] big = of("04 00 00000012", "00000006 01 00 A1A2A3A4", "00000004 01 02 B1B2");
        byte[] release = of("05 00 00000004 00000000");
        byte[] stream = concat(small, big, small, release);
        ByteArrayInputStream viaRead = new ByteArrayInputStream(stream);
        ByteArrayInputStream viaTransient = new ByteArrayInputStream(stream);
        for (int i = 0; i < 4; i++) {
            Pdu expected = decoder.read(viaRead);
            Pdu actual = decoder.readTransient(viaTransient);
            // compared before the next readTransient, which may overwrite the fragments
            assertEquals(expected, actual, "PDU " + i);
            assertArrayEquals(expected.toBytes(), actual.toBytes(), "PDU " + i);
        }
        assertNull(decoder.readTransient(viaTransient));
        // a PDV view is a view: equal content, independent of where it sits in its buffer
        byte[] padded = of("FF 01020304 FF");
        assertEquals(new PresentationDataValue(1, false, false, of("01020304")),
                PresentationDataValue.view(1, false, false, padded, 1, 4));
        // the limits apply before the reused buffer grows (PS3.8 Annex D.1)
        InvalidPduException e = assertThrows(InvalidPduException.class,
                () -> decoder.readTransient(new ByteArrayInputStream(of("04 00 00004001"))));
        assertEquals(Abort.Reason.INVALID_PDU_PARAMETER_VALUE, e.reason());
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void unknownPduTypeIsUnrecognizedPdu() {
        assertInvalid(of("08 00 00000004 00000000"), Abort.Reason.UNRECOGNIZED_PDU);
        assertInvalid(of("00 00 00000000"), Abort.Reason.UNRECOGNIZED_PDU);
    }

    @Test
    void oversizedLengthsRejectedBeforeAllocating() {
        // P-DATA-TF one byte longer than our advertised 16384; no body follows, so only the header check can fail
        assertInvalid(of("04 00 00004001"), Abort.Reason.INVALID_PDU_PARAMETER_VALUE);
        // A-ASSOCIATE-RQ of 2 GiB
        assertInvalid(of("01 00 7FFFFFFF"), Abort.Reason.INVALID_PDU_PARAMETER_VALUE);
        assertInvalid(of("01 00 FFFFFFFF"), Abort.Reason.INVALID_PDU_PARAMETER_VALUE);
        // fixed-length PDUs with another length
        assertInvalid(of("05 00 00000005 0000000000"), Abort.Reason.INVALID_PDU_PARAMETER_VALUE);
        assertInvalid(of("07 00 00000000"), Abort.Reason.INVALID_PDU_PARAMETER_VALUE);
        assertInvalid(of("03 00 00010000"), Abort.Reason.INVALID_PDU_PARAMETER_VALUE);
    }

    @Test
    void truncatedPduIsInvalid() {
        assertInvalid(java.util.Arrays.copyOf(ASSOCIATE_RQ, 100), Abort.Reason.INVALID_PDU_PARAMETER_VALUE);
        assertInvalid(of("04 00"), Abort.Reason.INVALID_PDU_PARAMETER_VALUE);
    }

    @Test
    void cleanEndOfStreamIsNull() throws IOException {
        assertNull(decoder.read(new ByteArrayInputStream(new byte[0])));
    }

    @Test
    void itemLengthsThatDoNotAddUp() {
        byte[] b = ASSOCIATE_RQ.clone();
        b[6 + 68 + 25 + 3] = 0x7F; // presentation context item claims 127 bytes, more than remain
        assertInvalid(b, Abort.Reason.INVALID_PDU_PARAMETER_VALUE);
        // PDV item length 1 (< 2) and PDV item longer than the PDU
        assertInvalid(of("04 00 00000006 00000001 01 03"), Abort.Reason.INVALID_PDU_PARAMETER_VALUE);
        assertInvalid(of("04 00 00000006 00000009 01 03"), Abort.Reason.INVALID_PDU_PARAMETER_VALUE);
        assertInvalid(of("04 00 00000000"), Abort.Reason.INVALID_PDU_PARAMETER_VALUE); // no PDV at all
        // A-ASSOCIATE-RQ shorter than its fixed fields
        assertInvalid(of("01 00 00000004 0001 0000"), Abort.Reason.INVALID_PDU_PARAMETER_VALUE);
    }

    @Test
    void unknownItemTypeInAssociateRq() {
        byte[] b = ASSOCIATE_RQ.clone();
        b[6 + 68] = 0x11; // application context item type 10H -> 11H
        assertInvalid(b, Abort.Reason.UNRECOGNIZED_PDU_PARAMETER);
        byte[] c = ASSOCIATE_RQ.clone();
        c[6 + 68 + 25 + 8] = 0x31; // abstract syntax sub-item 30H -> 31H
        assertInvalid(c, Abort.Reason.UNRECOGNIZED_PDU_PARAMETER);
    }

    @Test
    void missingMandatoryItems() {
        // A-ASSOCIATE-RQ with only the application context: no presentation context, no user information
        byte[] b = of("01 00 00000061", "0001 0000", ae("A"), ae("B"), new byte[32], "10 00 0015",
                ascii("1.2.840.10008.3.1.1.1"));
        assertInvalid(b, Abort.Reason.INVALID_PDU_PARAMETER_VALUE);
    }

    @Test
    void evenPresentationContextIdIsInvalid() {
        byte[] b = ASSOCIATE_RQ.clone();
        b[6 + 68 + 25 + 4] = 2;
        assertInvalid(b, Abort.Reason.INVALID_PDU_PARAMETER_VALUE);
    }

    @Test
    void uidLongerThan64IsInvalid() {
        String uid65 = "1." + "2".repeat(63);
        byte[] b = of("01 00 00000061", "0001 0000", ae("A"), ae("B"), new byte[32], "10 00 0041", ascii(uid65));
        b[5] = (byte) (68 + 4 + 65);
        assertInvalid(b, Abort.Reason.INVALID_PDU_PARAMETER_VALUE);
        assertThrows(IllegalArgumentException.class, () -> new ApplicationContextItem(uid65));
        assertThrows(IllegalArgumentException.class, () -> new AbstractSyntaxSubItem("1.2.a"));
    }

    @Test
    void aeTitleWithControlCharacterIsInvalid() {
        byte[] b = ASSOCIATE_RQ.clone();
        b[10 + 2] = 0x07; // BEL inside the called AE title
        assertInvalid(b, Abort.Reason.INVALID_PDU_PARAMETER_VALUE);
        assertThrows(IllegalArgumentException.class, () -> new AssociateRq("A\\B", "X", List.of(),
                new UserInformationItem(List.of())));
        assertThrows(IllegalArgumentException.class, () -> new AssociateRq("SEVENTEEN_CHARS_X", "X", List.of(),
                new UserInformationItem(List.of())));
    }

    @Test
    void aeTitleSpacesAreNotSignificant() throws IOException {
        byte[] b = ASSOCIATE_RQ.clone();
        System.arraycopy(ae("  ORDERLY"), 0, b, 10, 16); // leading spaces
        assertEquals("ORDERLY", ((AssociateRq) decoder.decode(b)).calledAeTitle());
    }

    @Test
    void duplicatePresentationContextIdIsInvalid() {
        AssociateRq rq = new AssociateRq("A", "B", List.of(
                new PresentationContextRqItem(1, "1.2", List.of("1.2.3")),
                new PresentationContextRqItem(3, "1.2", List.of("1.2.3"))), new UserInformationItem(List.of()));
        byte[] b = rq.toBytes();
        // second context's ID byte: 6 + 68 + app ctx (25) + first PC (4 + 4 + 7 + 9 = 24) + 4
        assertEquals(3, b[6 + 68 + 25 + 24 + 4]);
        b[6 + 68 + 25 + 24 + 4] = 1;
        assertInvalid(b, Abort.Reason.INVALID_PDU_PARAMETER_VALUE);
    }
}
