package org.orderly.dicom.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.Tags;
import org.orderly.dicom.data.VR;

/**
 * In-memory encoding and decoding of data sets and DIMSE command sets (byte arrays, e.g. the content of
 * P-DATA-TF PDVs).
 */
public final class DatasetCodec {

    /**
     * Buffer size of the streams over memory: a buffer only adds a copy there, and the streams' default 64 KiB
     * buffers, allocated for every command set encoded or decoded, were most of the per-message garbage of a
     * C-STORE SCP (docs/benchmarks.md).
     */
    private static final int MEMORY_BUFFER = 512;

    private DatasetCodec() {
    }

    /** Encodes a data set (sequences of undefined length). */
    public static byte[] encode(Attributes dataset, TransferSyntax ts) {
        ByteArrayOutputStream bout = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(bout, MEMORY_BUFFER)) {
            out.writeDataset(dataset, ts);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen writing to memory unless BulkData fails
        }
        return bout.toByteArray();
    }

    /** Decodes a complete data set; lengths are checked against the array length before allocating. */
    public static Attributes decode(byte[] bytes, TransferSyntax ts) throws DicomStreamException {
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes), MEMORY_BUFFER)) {
            return in.inputLength(bytes.length).readDataset(ts);
        } catch (DicomStreamException e) {
            throw e;
        } catch (IOException e) {
            throw new DicomStreamException(e.toString(), -1, 0, e);
        }
    }

    /**
     * Encodes a command set (PS3.7 §6.3.1, §E.1): Implicit VR Little Endian, group 0000 only, with
     * Command Group Length (0000,0000) computed and placed first (any existing one is replaced).
     *
     * @throws IllegalArgumentException if {@code command} holds an element outside group 0000
     */
    public static byte[] encodeCommand(Attributes command) {
        Attributes body = new Attributes();
        for (int i = 0; i < command.size(); i++) {
            int tag = command.tagAt(i);
            if (Tags.group(tag) != 0) {
                throw new IllegalArgumentException("command set holds " + Tags.toString(tag) + " (not group 0000)");
            }
        }
        body.addAll(command);
        body.remove(Tag.CommandGroupLength);
        byte[] rest = encode(body, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        Attributes length = new Attributes();
        length.setInt(Tag.CommandGroupLength, VR.UL, rest.length);
        byte[] head = encode(length, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        byte[] all = new byte[head.length + rest.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(rest, 0, all, head.length, rest.length);
        return all;
    }

    /** Decodes a command set (Implicit VR Little Endian). */
    public static Attributes decodeCommand(byte[] bytes) throws DicomStreamException {
        return decode(bytes, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
    }
}
