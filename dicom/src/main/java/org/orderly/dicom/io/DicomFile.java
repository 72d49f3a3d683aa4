package org.orderly.dicom.io;

import org.orderly.dicom.data.Attributes;

/**
 * A data set read by {@link DicomInputStream#readDicomFile()}: its File Meta Information (PS3.10 §7.1; null
 * when the stream had none), the data set, and the transfer syntax it was decoded with.
 */
public record DicomFile(Attributes fileMetaInformation, Attributes dataset, TransferSyntax transferSyntax) {
}
