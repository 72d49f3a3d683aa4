package org.orderly.mwl.model;

import java.util.Arrays;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.VR;

/** Data set operations the store needs, kept correct across Specific Character Sets. */
public final class Datasets {

    private Datasets() {
    }

    /**
     * {@code base} with every element of {@code update} set over it (a zero-length element in {@code update} makes
     * the value zero-length). When the two use different Specific Character Sets (0008,0005), the result is
     * re-encoded in UTF-8 (ISO_IR 192) so that every text stays readable. Neither argument is modified.
     */
    public static Attributes overlay(Attributes base, Attributes update) {
        byte[] a = base.getBytes(Tag.SpecificCharacterSet);
        byte[] b = update.getBytes(Tag.SpecificCharacterSet);
        boolean same = Arrays.equals(a == null ? new byte[0] : a, b == null ? new byte[0] : b)
                || b == null && isAscii(update) || a == null && isAscii(base);
        Attributes out;
        if (same) {
            out = new Attributes(base);
            Attributes u = new Attributes(update);
            u.remove(Tag.SpecificCharacterSet);
            out.addAll(u);
            if (a == null && b != null) {
                out.setBytes(Tag.SpecificCharacterSet, VR.CS, b.clone());
            }
        } else {
            out = new Attributes();
            out.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
            WorklistItem.copyText(base, out);
            WorklistItem.copyText(update, out);
        }
        return out;
    }

    /** True if no charset-dependent value holds a byte above 0x7F (so any ASCII-based character set reads it). */
    private static boolean isAscii(Attributes ds) {
        for (int i = 0; i < ds.size(); i++) {
            Object v = ds.valueAt(i);
            if (v instanceof org.orderly.dicom.data.Sequence seq) {
                for (Attributes it : seq) {
                    if (!isAscii(it)) {
                        return false;
                    }
                }
            } else if (v instanceof byte[] bytes && ds.vrAt(i).isCharsetDependent()) {
                for (byte x : bytes) {
                    if (x < 0 || x == 0x1B) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
