package org.orderly.dicom.data;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A DICOM data set (PS3.5 §7): data elements ordered by tag.
 *
 * <p>Each element holds its VR and one of these values:
 * <ul>
 *   <li>{@code byte[]} - the raw value field in this data set's byte order ({@link #isBigEndian()}),
 *       without trailing padding changes; decoded on demand by the getters;</li>
 *   <li>{@link Sequence} - the items of an SQ element, each an {@code Attributes} linked to this one as
 *       parent (for Specific Character Set inheritance, PS3.5 §7.5.3);</li>
 *   <li>{@link Fragments} - encapsulated pixel data (PS3.5 §A.4), carried unchanged;</li>
 *   <li>{@link BulkData} - bytes stored in a file, never loaded into the heap.</li>
 * </ul>
 *
 * <p>Private elements and elements unknown to the dictionary are carried through untouched.
 * {@link #toString()} prints tags, VRs and lengths only, never values (no PHI in logs).
 *
 * <p>Byte arrays passed to {@link #setBytes} are owned by this object afterwards; getters return copies.
 * Not thread-safe.
 */
public final class Attributes {

    private static final int[] NO_INTS = {};
    private static final String[] NO_STRINGS = {};

    private final boolean bigEndian;
    private Attributes parent;
    private int[] tags;
    private VR[] vrs;
    private Object[] values;
    private int size;

    private byte[] cachedCharsetValue;
    private SpecificCharacterSet cachedCharset;

    /** An empty little-endian data set. */
    public Attributes() {
        this(false);
    }

    /** An empty data set whose binary values are held in the given byte order. */
    public Attributes(boolean bigEndian) {
        this.bigEndian = bigEndian;
        this.tags = new int[16];
        this.vrs = new VR[16];
        this.values = new Object[16];
    }

    /** A deep copy of {@code other} (sequences and fragment lists copied; the copy has no parent). */
    public Attributes(Attributes other) {
        this.bigEndian = other.bigEndian;
        this.size = other.size;
        this.tags = Arrays.copyOf(other.tags, Math.max(other.size, 4));
        this.vrs = Arrays.copyOf(other.vrs, tags.length);
        this.values = new Object[tags.length];
        for (int i = 0; i < size; i++) {
            values[i] = copyValue(other.values[i]);
        }
    }

    private Object copyValue(Object v) {
        if (v instanceof Sequence seq) {
            Sequence copy = new Sequence(this, seq.size());
            for (Attributes item : seq) {
                copy.add(new Attributes(item));
            }
            return copy;
        }
        if (v instanceof Fragments f) {
            return f.copy();
        }
        return v; // byte[] is never modified in place; BulkData is immutable
    }

    public boolean isBigEndian() {
        return bigEndian;
    }

    /** The data set holding the sequence this item belongs to, or null for a top-level data set. */
    public Attributes parent() {
        return parent;
    }

    void setParent(Attributes parent) {
        this.parent = parent;
    }

    // ---------------------------------------------------------------- structure

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Tag of the element at {@code index} (0 <= index < size), in ascending tag order. */
    public int tagAt(int index) {
        Objects.checkIndex(index, size);
        return tags[index];
    }

    public VR vrAt(int index) {
        Objects.checkIndex(index, size);
        return vrs[index];
    }

    /** The raw value at {@code index}: {@code byte[]} (not a copy: do not modify), Sequence, Fragments or BulkData. */
    public Object valueAt(int index) {
        Objects.checkIndex(index, size);
        return values[index];
    }

    /** All tags in ascending order (tags compare as unsigned 32-bit numbers). */
    public int[] tags() {
        return Arrays.copyOf(tags, size);
    }

    /** Index of {@code tag}, or {@code -(insertion point) - 1}. */
    public int indexOf(int tag) {
        int lo = 0;
        int hi = size - 1;
        // fast path: appending in order (the reader's case)
        if (size > 0 && Integer.compareUnsigned(tags[hi], tag) < 0) {
            return -(size + 1);
        }
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Integer.compareUnsigned(tags[mid], tag);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    public boolean contains(int tag) {
        return indexOf(tag) >= 0;
    }

    public VR getVR(int tag) {
        int i = indexOf(tag);
        return i < 0 ? null : vrs[i];
    }

    /** The raw value (see class comment), or null if absent. byte[] values are returned without copying. */
    public Object getValue(int tag) {
        int i = indexOf(tag);
        return i < 0 ? null : values[i];
    }

    /**
     * Sets the raw value of an element. {@code value} must be a {@code byte[]} (owned by this object
     * afterwards), {@link BulkData}, {@link Fragments} or, for SQ, a {@link Sequence} created by
     * {@link #newSequence(int)}.
     */
    public void setValue(int tag, VR vr, Object value) {
        Objects.requireNonNull(vr, "vr");
        Objects.requireNonNull(value, "value");
        if (!(value instanceof byte[] || value instanceof BulkData || value instanceof Fragments
                || value instanceof Sequence s && s.parent() == this)) {
            throw new IllegalArgumentException("unsupported value type " + value.getClass().getName());
        }
        int i = indexOf(tag);
        if (i >= 0) {
            vrs[i] = vr;
            values[i] = value;
            return;
        }
        i = -i - 1;
        if (size == tags.length) {
            int n = size * 2;
            tags = Arrays.copyOf(tags, n);
            vrs = Arrays.copyOf(vrs, n);
            values = Arrays.copyOf(values, n);
        }
        System.arraycopy(tags, i, tags, i + 1, size - i);
        System.arraycopy(vrs, i, vrs, i + 1, size - i);
        System.arraycopy(values, i, values, i + 1, size - i);
        tags[i] = tag;
        vrs[i] = vr;
        values[i] = value;
        size++;
    }

    /** Removes the element; returns its raw value or null. */
    public Object remove(int tag) {
        int i = indexOf(tag);
        if (i < 0) {
            return null;
        }
        Object old = values[i];
        System.arraycopy(tags, i + 1, tags, i, size - i - 1);
        System.arraycopy(vrs, i + 1, vrs, i, size - i - 1);
        System.arraycopy(values, i + 1, values, i, size - i - 1);
        size--;
        values[size] = null;
        return old;
    }

    /** Copies every element of {@code other} into this data set, replacing elements with the same tag. */
    public void addAll(Attributes other) {
        for (int i = 0; i < other.size; i++) {
            Object v = other.values[i];
            if (v instanceof byte[] b && other.bigEndian != bigEndian) {
                b = b.clone();
                ByteSwap.swap(b, 0, b.length, ByteSwap.width(other.vrs[i]));
                v = b;
            }
            setValue(other.tags[i], other.vrs[i], copyValue(v));
        }
    }

    // ---------------------------------------------------------------- character set

    /** The Specific Character Set in effect: this data set's (0008,0005), else the parent's, else default. */
    public SpecificCharacterSet getSpecificCharacterSet() {
        for (Attributes a = this; a != null; a = a.parent) {
            int i = a.indexOf(Tag.SpecificCharacterSet);
            if (i >= 0 && a.values[i] instanceof byte[] b) {
                if (a.cachedCharsetValue != b) {
                    String[] terms = splitTrim(new String(b, StandardCharsets.ISO_8859_1), VR.CS);
                    a.cachedCharset = SpecificCharacterSet.valueOf(terms);
                    a.cachedCharsetValue = b;
                }
                return a.cachedCharset;
            }
        }
        return SpecificCharacterSet.DEFAULT;
    }

    // ---------------------------------------------------------------- getters

    /** A copy of the value bytes, or null if absent or not held in memory. */
    public byte[] getBytes(int tag) {
        return getValue(tag) instanceof byte[] b ? b.clone() : null;
    }

    public Sequence getSequence(int tag) {
        return getValue(tag) instanceof Sequence s ? s : null;
    }

    public Fragments getFragments(int tag) {
        return getValue(tag) instanceof Fragments f ? f : null;
    }

    public BulkData getBulkData(int tag) {
        return getValue(tag) instanceof BulkData b ? b : null;
    }

    /** The first value as a string, or null if absent or empty. */
    public String getString(int tag) {
        return getString(tag, 0);
    }

    /** Value {@code index} (0-based) as a string, or null. */
    public String getString(int tag, int index) {
        String[] s = getStrings(tag);
        return index < s.length && !s[index].isEmpty() ? s[index] : null;
    }

    /**
     * All values as strings: text VRs decoded with the Specific Character Set (charset-dependent VRs only,
     * PS3.5 §6.1.2.3), split at backslash and stripped of insignificant spaces (PS3.5 §6.2); binary
     * numbers formatted in decimal (AT as GGGGEEEE hex). Empty array if absent or empty.
     */
    public String[] getStrings(int tag) {
        int i = indexOf(tag);
        if (i < 0 || !(values[i] instanceof byte[] b) || b.length == 0) {
            return NO_STRINGS;
        }
        VR vr = vrs[i];
        if (vr.isText()) {
            String s = vr.isCharsetDependent()
                    ? getSpecificCharacterSet().decode(b, vr)
                    : new String(b, StandardCharsets.ISO_8859_1);
            return splitTrim(s, vr);
        }
        int n = numberCount(b, vr);
        String[] out = new String[n];
        for (int k = 0; k < n; k++) {
            out[k] = switch (vr) {
                case AT -> String.format("%08X", (int) readNumber(b, vr, k));
                case FL, OF, FD, OD -> formatDouble(readDouble(b, vr, k));
                case UV -> Long.toUnsignedString(readNumber(b, vr, k));
                default -> Long.toString(readNumber(b, vr, k));
            };
        }
        return out;
    }

    static String[] splitTrim(String s, VR vr) {
        String[] parts = vr.isMultiValuedText() ? s.split("\\\\", -1) : new String[] {s};
        for (int k = 0; k < parts.length; k++) {
            parts[k] = trim(parts[k], vr);
        }
        return parts;
    }

    /** PS3.5 §6.2: leading/trailing spaces are insignificant except leading ones in LT ST UT; UI pads with NUL. */
    private static String trim(String s, VR vr) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        int start = 0;
        if (vr.isMultiValuedText()) {
            while (start < end && s.charAt(start) == ' ') {
                start++;
            }
        }
        return s.substring(start, end);
    }

    /** The first value as int (US SS UL SL SV UV AT IS, truncating FL FD DS), or {@code defaultValue}. */
    public int getInt(int tag, int defaultValue) {
        int[] v = getInts(tag);
        return v.length > 0 ? v[0] : defaultValue;
    }

    /** All values as int (UL values above 2^31-1 wrap; use {@link #getLongs}). Empty if absent. */
    public int[] getInts(int tag) {
        long[] l = getLongs(tag);
        if (l.length == 0) {
            return NO_INTS;
        }
        int[] out = new int[l.length];
        for (int k = 0; k < l.length; k++) {
            out[k] = (int) l[k];
        }
        return out;
    }

    /** All values as long. IS/DS parsed (DS truncated), FL/FD truncated. */
    public long[] getLongs(int tag) {
        int i = indexOf(tag);
        if (i < 0 || !(values[i] instanceof byte[] b) || b.length == 0) {
            return new long[0];
        }
        VR vr = vrs[i];
        if (vr.isText()) {
            String[] s = getStrings(tag);
            long[] out = new long[s.length];
            for (int k = 0; k < s.length; k++) {
                out[k] = parseNumber(tag, s[k], vr).longValue();
            }
            return out;
        }
        int n = numberCount(b, vr);
        long[] out = new long[n];
        for (int k = 0; k < n; k++) {
            out[k] = switch (vr) {
                case FL, OF, FD, OD -> (long) readDouble(b, vr, k);
                default -> readNumber(b, vr, k);
            };
        }
        return out;
    }

    public double getDouble(int tag, double defaultValue) {
        double[] v = getDoubles(tag);
        return v.length > 0 ? v[0] : defaultValue;
    }

    /** All values as double (FL FD OF OD DS IS and integer VRs). */
    public double[] getDoubles(int tag) {
        int i = indexOf(tag);
        if (i < 0 || !(values[i] instanceof byte[] b) || b.length == 0) {
            return new double[0];
        }
        VR vr = vrs[i];
        if (vr.isText()) {
            String[] s = getStrings(tag);
            double[] out = new double[s.length];
            for (int k = 0; k < s.length; k++) {
                out[k] = parseNumber(tag, s[k], vr).doubleValue();
            }
            return out;
        }
        int n = numberCount(b, vr);
        double[] out = new double[n];
        for (int k = 0; k < n; k++) {
            out[k] = switch (vr) {
                case FL, OF, FD, OD -> readDouble(b, vr, k);
                default -> readNumber(b, vr, k);
            };
        }
        return out;
    }

    private static BigDecimal parseNumber(int tag, String s, VR vr) {
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            throw new NumberFormatException("not a number in " + vr + " " + Tags.toString(tag));
        }
    }

    private static int numberCount(byte[] b, VR vr) {
        int w = vr == VR.AT ? 4 : Math.max(1, vr.bytesPerNumber());
        return b.length / w;
    }

    private long readNumber(byte[] b, VR vr, int k) {
        return switch (vr) {
            case US, OW -> readUnsigned(b, k * 2, 2);
            case SS -> (short) readUnsigned(b, k * 2, 2);
            case UL, OL -> readUnsigned(b, k * 4, 4);
            case SL -> (int) readUnsigned(b, k * 4, 4);
            case SV, UV, OV -> readUnsigned(b, k * 8, 8);
            case AT -> (readUnsigned(b, k * 4, 2) << 16) | readUnsigned(b, k * 4 + 2, 2);
            default -> b[k] & 0xFF; // OB, UN
        };
    }

    private double readDouble(byte[] b, VR vr, int k) {
        return vr == VR.FL || vr == VR.OF
                ? Float.intBitsToFloat((int) readUnsigned(b, k * 4, 4))
                : Double.longBitsToDouble(readUnsigned(b, k * 8, 8));
    }

    private long readUnsigned(byte[] b, int off, int width) {
        long v = 0;
        for (int j = 0; j < width; j++) {
            int idx = bigEndian ? off + j : off + width - 1 - j;
            v = (v << 8) | (b[idx] & 0xFF);
        }
        return v;
    }

    // ---------------------------------------------------------------- setters

    /**
     * Sets a text element: values joined by backslash (PS3.5 §6.4 Value Multiplicity), encoded with the
     * Specific Character Set in effect for charset-dependent VRs, padded to even length with the VR's
     * padding byte (PS3.5 §6.2). Set (0008,0005) before the values it governs.
     *
     * @throws IllegalArgumentException if {@code vr} is not a text VR, or a character is not representable
     */
    public void setString(int tag, VR vr, String... values) {
        if (!vr.isText()) {
            throw new IllegalArgumentException(vr + " is not a text VR; use setInt/setDouble/setBytes");
        }
        if (!vr.isMultiValuedText() && values.length > 1) {
            throw new IllegalArgumentException(vr + " allows one value only (PS3.5 §6.2)");
        }
        String joined = String.join("\\", values);
        byte[] b;
        if (vr.isCharsetDependent()) {
            SpecificCharacterSet cs = tag == Tag.SpecificCharacterSet ? SpecificCharacterSet.DEFAULT
                    : getSpecificCharacterSet();
            b = cs.encode(joined, vr);
        } else {
            for (int k = 0; k < joined.length(); k++) {
                if (joined.charAt(k) >= 0x80) {
                    throw new IllegalArgumentException(vr + " allows the default repertoire only (PS3.5 §6.1.2.3)");
                }
            }
            b = joined.getBytes(StandardCharsets.US_ASCII);
        }
        setValue(tag, vr, pad(b, vr.paddingByte()));
    }

    /** Sets integer values: binary for US SS UL SL SV UV OW OL AT, decimal text for IS and DS. */
    public void setInt(int tag, VR vr, int... ints) {
        long[] l = new long[ints.length];
        for (int k = 0; k < ints.length; k++) {
            l[k] = vr == VR.US || vr == VR.UL || vr == VR.OW || vr == VR.OL || vr == VR.UV || vr == VR.AT
                    ? Integer.toUnsignedLong(ints[k]) : ints[k];
        }
        setLong(tag, vr, l);
    }

    /** Sets integer values as {@link #setInt}, 64-bit. */
    public void setLong(int tag, VR vr, long... longs) {
        if (vr == VR.IS || vr == VR.DS) {
            String[] s = new String[longs.length];
            for (int k = 0; k < longs.length; k++) {
                s[k] = Long.toString(longs[k]);
            }
            setString(tag, vr, s);
            return;
        }
        int width = switch (vr) {
            case US, SS, OW -> 2;
            case UL, SL, OL, AT -> 4;
            case SV, UV, OV -> 8;
            case FL, FD, OF, OD -> -1;
            default -> throw new IllegalArgumentException(vr + " does not hold integers");
        };
        if (width < 0) {
            double[] d = new double[longs.length];
            for (int k = 0; k < longs.length; k++) {
                d[k] = longs[k];
            }
            setDouble(tag, vr, d);
            return;
        }
        byte[] b = new byte[longs.length * width];
        for (int k = 0; k < longs.length; k++) {
            if (vr == VR.AT) {
                writeUnsigned(b, k * 4, 2, longs[k] >>> 16);
                writeUnsigned(b, k * 4 + 2, 2, longs[k] & 0xFFFF);
            } else {
                writeUnsigned(b, k * width, width, longs[k]);
            }
        }
        setValue(tag, vr, b);
    }

    /** Sets floating point values: binary for FL FD OF OD, text for DS (at most 16 bytes, PS3.5 §6.2). */
    public void setDouble(int tag, VR vr, double... doubles) {
        if (vr == VR.DS) {
            String[] s = new String[doubles.length];
            for (int k = 0; k < doubles.length; k++) {
                s[k] = formatDS(doubles[k]);
            }
            setString(tag, vr, s);
            return;
        }
        boolean single = vr == VR.FL || vr == VR.OF;
        if (!single && vr != VR.FD && vr != VR.OD) {
            throw new IllegalArgumentException(vr + " does not hold floating point numbers");
        }
        int width = single ? 4 : 8;
        byte[] b = new byte[doubles.length * width];
        for (int k = 0; k < doubles.length; k++) {
            long bits = single ? Float.floatToIntBits((float) doubles[k]) & 0xFFFFFFFFL
                    : Double.doubleToLongBits(doubles[k]);
            writeUnsigned(b, k * width, width, bits);
        }
        setValue(tag, vr, b);
    }

    /** Sets a raw value field (in this data set's byte order). The array is owned by this object afterwards. */
    public void setBytes(int tag, VR vr, byte[] value) {
        setValue(tag, vr, value);
    }

    /** Sets a value stored in a file. */
    public void setBulkData(int tag, VR vr, BulkData value) {
        setValue(tag, vr, value);
    }

    /** Sets an element with an empty value (zero length; an empty sequence for SQ). */
    public void setNull(int tag, VR vr) {
        if (vr == VR.SQ) {
            newSequence(tag);
        } else {
            setValue(tag, vr, new byte[0]);
        }
    }

    /** Creates (or replaces) an SQ element and returns its empty item list. */
    public Sequence newSequence(int tag) {
        Sequence s = new Sequence(this, 2);
        setValue(tag, VR.SQ, s);
        return s;
    }

    /** Creates (or replaces) encapsulated pixel data (VR OB, PS3.5 §A.4) and returns its empty fragment list. */
    public Fragments newFragments(int tag, VR vr) {
        Fragments f = new Fragments();
        setValue(tag, vr, f);
        return f;
    }

    private void writeUnsigned(byte[] b, int off, int width, long v) {
        for (int j = 0; j < width; j++) {
            int idx = bigEndian ? off + width - 1 - j : off + j;
            b[idx] = (byte) (v >>> (8 * j));
        }
    }

    private static byte[] pad(byte[] b, byte padding) {
        if ((b.length & 1) == 0) {
            return b;
        }
        byte[] p = Arrays.copyOf(b, b.length + 1);
        p[b.length] = padding;
        return p;
    }

    /** DS: decimal string of at most 16 bytes (PS3.5 §6.2, Table 6.2-1). */
    static String formatDS(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("DS cannot hold " + d);
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        String s = Double.toString(d);
        for (int digits = 16; s.length() > 16 && digits > 0; digits--) {
            s = new BigDecimal(d).round(new MathContext(digits)).stripTrailingZeros().toString();
        }
        return s;
    }

    private static String formatDouble(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    // ---------------------------------------------------------------- equality

    /**
     * Equal if both hold the same tags with the same VRs and values. Binary values are compared in the same
     * byte order; BulkData values compare by reference (file, offset, length), not by content.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Attributes other) || other.size != size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (tags[i] != other.tags[i] || vrs[i] != other.vrs[i]) {
                return false;
            }
            Object a = values[i];
            Object b = other.values[i];
            if (a instanceof byte[] x && b instanceof byte[] y && bigEndian != other.bigEndian) {
                y = y.clone();
                ByteSwap.swap(y, 0, y.length, ByteSwap.width(vrs[i]));
                b = y;
            }
            if (!valueEquals(a, b)) {
                return false;
            }
        }
        return true;
    }

    static boolean valueEquals(Object a, Object b) {
        if (a instanceof byte[] x) {
            return b instanceof byte[] y && Arrays.equals(x, y);
        }
        if (a instanceof Sequence s) {
            return b instanceof Sequence t && s.size() == t.size() && s.equals(t);
        }
        return Objects.equals(a, b);
    }

    @Override
    public int hashCode() {
        int h = size;
        for (int i = 0; i < size; i++) {
            h = 31 * h + tags[i];
        }
        return h;
    }

    /** Tags, VRs and value lengths only - never values, so that no PHI reaches a log. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Attributes[");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(Tags.toString(tags[i])).append(' ').append(vrs[i]);
            Object v = values[i];
            if (v instanceof byte[] b) {
                sb.append(" #").append(b.length);
            } else if (v instanceof Sequence s) {
                sb.append(" ").append(s.size()).append(" item(s)");
            } else if (v instanceof Fragments f) {
                sb.append(" ").append(f.size()).append(" fragment(s)");
            } else if (v instanceof BulkData bd) {
                sb.append(" bulk #").append(bd.length());
            }
        }
        return sb.append(']').toString();
    }
}
