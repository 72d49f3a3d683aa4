package org.orderly.dicom.data;

/** Reverses the byte order of binary values (PS3.5 §7.3: Little vs Big Endian). */
public final class ByteSwap {

    private ByteSwap() {
    }

    /** Swaps, in place, each {@code width}-byte number in {@code b[off, off+len)}; width 1 is a no-op. */
    public static void swap(byte[] b, int off, int len, int width) {
        if (width <= 1) {
            return;
        }
        int end = off + len - (len % width);
        for (int i = off; i < end; i += width) {
            for (int lo = i, hi = i + width - 1; lo < hi; lo++, hi--) {
                byte t = b[lo];
                b[lo] = b[hi];
                b[hi] = t;
            }
        }
    }

    /** The swap width for a VR: AT is two 16-bit numbers (PS3.5 §6.2), others {@link VR#bytesPerNumber()}. */
    public static int width(VR vr) {
        return vr.bytesPerNumber();
    }
}
