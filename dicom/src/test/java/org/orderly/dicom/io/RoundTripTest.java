package org.orderly.dicom.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.ElementDictionary;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.Tags;
import org.orderly.dicom.data.VR;

/** Every VR in every uncompressed transfer syntax, both sequence length modes, nested sequences. */
class RoundTripTest {

    /** For each VR, the lowest-numbered current standard tag whose only VR it is (so implicit VR keeps it). */
    static final Map<VR, Integer> TAG_FOR_VR = new EnumMap<>(VR.class);

    static {
        for (Field f : Tag.class.getFields()) {
            try {
                int tag = f.getInt(null);
                ElementDictionary.Entry e = ElementDictionary.lookup(tag);
                int g = Tags.group(tag);
                if (e == null || e.retired() || e.vrs().size() != 1 || g <= 2 || g == 0xFFFE || tag == Tag.PixelData
                        || tag == Tag.SpecificCharacterSet) {
                    continue;
                }
                TAG_FOR_VR.merge(e.vr(), tag, (a, b) -> Integer.compareUnsigned(a, b) < 0 ? a : b);
            } catch (IllegalAccessException ex) {
                throw new AssertionError(ex);
            }
        }
    }

    static Attributes everyVR(int depth) {
        Attributes a = new Attributes();
        a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        for (VR vr : VR.values()) {
            Integer tag = TAG_FOR_VR.get(vr);
            assertNotNull(tag, "no tag for " + vr);
            switch (vr) {
                case AE -> a.setString(tag, vr, "ORDERLY", "PACS1");
                case AS -> a.setString(tag, vr, "042Y");
                case AT -> a.setInt(tag, vr, Tag.PatientName, Tag.PixelData);
                case CS -> a.setString(tag, vr, "A", "B_C");
                case DA -> a.setString(tag, vr, "20240229");
                case DS -> a.setDouble(tag, vr, 1.5, -2e-3);
                case DT -> a.setString(tag, vr, "20240229120000.123456+0100");
                case FD, OD -> a.setDouble(tag, vr, Math.PI, -1.0);
                case FL, OF -> a.setDouble(tag, vr, 1.25f, 3f);
                case IS -> a.setInt(tag, vr, -12, 345);
                case LO -> a.setString(tag, vr, "Löng", "Strîng");
                case LT, ST, UT -> a.setString(tag, vr, "line1\r\nline2 \\ not a delimiter");
                case OB, UN -> a.setBytes(tag, vr, new byte[] {1, 2, 3, (byte) 0xFF});
                case OL, UL -> a.setInt(tag, vr, 1, 0xFFFFFFFF);
                case OV, UV, SV -> a.setLong(tag, vr, Long.MIN_VALUE, 42);
                case OW, US -> a.setInt(tag, vr, 0xFFFF, 1);
                case PN -> a.setString(tag, vr, "Yamada^Tarou=山田^太郎=やまだ^たろう");
                case SH -> a.setString(tag, vr, "SH1");
                case SL -> a.setInt(tag, vr, Integer.MIN_VALUE, 7);
                case SQ -> {
                    Sequence s = a.newSequence(tag);
                    if (depth > 0) {
                        s.add(everyVR(depth - 1));
                        s.addNewItem(); // empty item
                        s.add(everyVR(depth - 1));
                    }
                }
                case SS -> a.setInt(tag, vr, -32768, 32767);
                case TM -> a.setString(tag, vr, "235959.999999");
                case UC -> a.setString(tag, vr, "x".repeat(70000), "y");
                case UI -> a.setString(tag, vr, "1.2.840.10008.1.2.1");
                case UR -> a.setString(tag, vr, "http://example.org/a?b=c");
                default -> throw new AssertionError(vr);
            }
        }
        a.setString(0x00090010, VR.LO, "ORDERLY TEST");
        a.setBytes(0x00091001, VR.UN, new byte[] {9, 8, 7, 6, 5, 4});
        a.setNull(Tag.PatientSex, VR.CS);
        return a;
    }

    /** Path of the first differing element, "" if equal (keeps failure messages readable). */
    static String firstDifference(Attributes a, Attributes b, String path) {
        if (a.size() != b.size()) {
            return path + " size " + a.size() + " vs " + b.size();
        }
        for (int i = 0; i < a.size(); i++) {
            String here = path + Tags.toString(a.tagAt(i));
            if (a.tagAt(i) != b.tagAt(i) || a.vrAt(i) != b.vrAt(i)) {
                return here + " tag/VR " + a.vrAt(i) + " vs " + Tags.toString(b.tagAt(i)) + " " + b.vrAt(i);
            }
            if (a.valueAt(i) instanceof Sequence s && b.valueAt(i) instanceof Sequence t) {
                if (s.size() != t.size()) {
                    return here + " items " + s.size() + " vs " + t.size();
                }
                for (int k = 0; k < s.size(); k++) {
                    String d = firstDifference(s.get(k), t.get(k), here + "[" + k + "]");
                    if (!d.isEmpty()) {
                        return d;
                    }
                }
            } else {
                Attributes x = new Attributes(a.isBigEndian());
                x.setValue(a.tagAt(i), a.vrAt(i), a.valueAt(i));
                Attributes y = new Attributes(b.isBigEndian());
                y.setValue(b.tagAt(i), b.vrAt(i), b.valueAt(i));
                if (!x.equals(y)) {
                    return here + " value " + java.util.Arrays.toString(a.getStrings(a.tagAt(i))) + " vs "
                            + java.util.Arrays.toString(b.getStrings(b.tagAt(i)));
                }
            }
        }
        return "";
    }

    static Stream<Arguments> cases() {
        return Stream.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                        TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN)
                .flatMap(ts -> Stream.of(DicomOutputStream.SequenceLength.values()).map(m -> Arguments.of(ts, m)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void roundTrip(TransferSyntax ts, DicomOutputStream.SequenceLength mode) throws Exception {
        Attributes original = everyVR(3);
        original.setBytes(0x00081010, VR.SH, "odd".getBytes()); // odd length: the writer pads it
        ByteArrayOutputStream bout = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(bout).sequenceLength(mode)) {
            out.writeDataset(original, ts);
        }
        Attributes decoded;
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bout.toByteArray()))) {
            decoded = in.readDataset(ts);
        }
        // the odd-length SH came back padded; everything else is identical
        original.setBytes(0x00081010, VR.SH, "odd ".getBytes());
        assertEquals(original.size(), decoded.size());
        for (int i = 0; i < original.size(); i++) {
            assertEquals(Tags.toString(original.tagAt(i)) + " " + original.vrAt(i),
                    Tags.toString(decoded.tagAt(i)) + " " + decoded.vrAt(i));
        }
        String diff = firstDifference(original, decoded, "");
        assertEquals("", diff, "first difference");
        assertEquals(original, decoded);
        assertEquals("Yamada^Tarou=山田^太郎=やまだ^たろう", decoded.getString(TAG_FOR_VR.get(VR.PN)));
        Attributes deepest = decoded;
        for (int d = 0; d < 3; d++) {
            deepest = deepest.getSequence(TAG_FOR_VR.get(VR.SQ)).get(2);
        }
        assertEquals(List.of(-32768, 32767), List.of(deepest.getInts(TAG_FOR_VR.get(VR.SS))[0],
                deepest.getInts(TAG_FOR_VR.get(VR.SS))[1]));
        assertEquals("Löng", deepest.getString(TAG_FOR_VR.get(VR.LO)), "charset inherited from the root");
        // re-encoding the decoded data set gives the same bytes
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(again).sequenceLength(mode)) {
            out.writeDataset(decoded, ts);
        }
        if (!ts.deflated()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(bout.toByteArray(), again.toByteArray());
        }
    }
}
