package org.orderly.dicom.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.VR;

/**
 * Builds, and reads back, the File Meta Information of a Part 10 file (PS3.10 §7.1, Table 7.1-1).
 *
 * <p>Orderly's Implementation Class UID is a UUID-derived UID under the root {@code 2.25} (PS3.5 §B.2,
 * ISO/IEC 9834-8): {@code 2.25.} followed by the decimal value of the UUID
 * {@code 7d498dce-0f42-4d74-8d73-5a3612c32cbe}, generated once for this project. Orderly UIDs for new
 * instances may use the same {@code 2.25} scheme.
 */
public final class FileMetaInformation {

    /** (0002,0012) of every file and association Orderly writes (PS3.7 §D.3.3.2). */
    public static final String IMPLEMENTATION_CLASS_UID = "2.25.166535413289265549377490754238912081086";
    /** (0002,0013), at most 16 characters (SH). */
    public static final String IMPLEMENTATION_VERSION_NAME = "ORDERLY_0_1";

    /** Read buffer of {@link #read}: the File Meta Information is a few hundred bytes. */
    private static final int READ_BUFFER = 4096;

    private FileMetaInformation() {
    }

    /** The File Meta Information of a file ({@code fmi} null: not a Part 10 file) and where its data set starts. */
    public record InFile(Attributes fmi, long datasetOffset) {
    }

    /**
     * Reads a Part 10 file's File Meta Information, not its data set. Throws {@link DicomStreamException} for one cut
     * short inside its File Meta Information.
     */
    public static InFile read(Path file) throws IOException {
        try (DicomInputStream in = new DicomInputStream(Files.newInputStream(file), READ_BUFFER)) {
            Attributes fmi = in.readFileMetaInformation();
            return new InFile(fmi, in.position());
        }
    }

    /** FMI with version 00\01, the given SOP class/instance and transfer syntax, and Orderly's implementation. */
    public static Attributes create(String sopClassUID, String sopInstanceUID, String transferSyntaxUID) {
        Attributes fmi = new Attributes();
        fmi.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        fmi.setString(Tag.MediaStorageSOPClassUID, VR.UI, sopClassUID);
        fmi.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, sopInstanceUID);
        fmi.setString(Tag.TransferSyntaxUID, VR.UI, transferSyntaxUID);
        fmi.setString(Tag.ImplementationClassUID, VR.UI, IMPLEMENTATION_CLASS_UID);
        fmi.setString(Tag.ImplementationVersionName, VR.SH, IMPLEMENTATION_VERSION_NAME);
        return fmi;
    }

    /** As {@link #create(String, String, String)}, plus (0002,0016) Source Application Entity Title. */
    public static Attributes create(String sopClassUID, String sopInstanceUID, String transferSyntaxUID,
                                    String sourceAETitle) {
        Attributes fmi = create(sopClassUID, sopInstanceUID, transferSyntaxUID);
        if (sourceAETitle != null) {
            fmi.setString(Tag.SourceApplicationEntityTitle, VR.AE, sourceAETitle);
        }
        return fmi;
    }

    /** FMI for a data set: SOP Class/Instance UID taken from (0008,0016)/(0008,0018). */
    public static Attributes forDataset(Attributes dataset, String transferSyntaxUID) {
        String cuid = dataset.getString(Tag.SOPClassUID);
        String iuid = dataset.getString(Tag.SOPInstanceUID);
        if (cuid == null || iuid == null) {
            throw new IllegalArgumentException("data set lacks SOPClassUID or SOPInstanceUID");
        }
        return create(cuid, iuid, transferSyntaxUID);
    }
}
