package org.orderly.dicom.data;

/** Small helpers for {@code int} tags {@code 0xGGGGEEEE} (PS3.5 §7.1). */
public final class Tags {

    private Tags() {
    }

    public static int group(int tag) {
        return tag >>> 16;
    }

    public static int element(int tag) {
        return tag & 0xFFFF;
    }

    public static int of(int group, int element) {
        return (group << 16) | (element & 0xFFFF);
    }

    /** PS3.5 §7.8.1: data elements of odd groups (other than 0001, 0003, 0005, 0007, FFFF) are private. */
    public static boolean isPrivate(int tag) {
        int g = group(tag);
        return (g & 1) != 0 && g > 0x0007 && g != 0xFFFF;
    }

    /** PS3.5 §7.8.1: (gggg,0010-00FF) in a private group reserves a block and has VR LO. */
    public static boolean isPrivateCreator(int tag) {
        int e = element(tag);
        return isPrivate(tag) && e >= 0x0010 && e <= 0x00FF;
    }

    /** PS3.5 §7.2: (gggg,0000) is the group length, VR UL. */
    public static boolean isGroupLength(int tag) {
        return element(tag) == 0;
    }

    /** "(GGGG,EEEE)" in upper-case hex. */
    public static String toString(int tag) {
        return String.format("(%04X,%04X)", group(tag), element(tag));
    }
}
