package org.orderly.camel.dicom;

import org.apache.camel.spi.Metadata;

/**
 * Message headers of the {@code dicom:} component and of Orderly's storage routes. Identifiers only: patient
 * attributes may appear as {@code Dicom<Keyword>} headers (see {@link #ATTRIBUTE_PREFIX}) but are never logged at INFO.
 */
public final class DicomConstants {

    @Metadata(description = "Calling AE title of the association the object arrived on (the modality)", javaType = "String")
    public static final String CALLING_AE = "DicomCallingAE";
    @Metadata(description = "Called AE title of the association the object arrived on (Orderly's AE)", javaType = "String")
    public static final String CALLED_AE = "DicomCalledAE";
    @Metadata(description = "SOP Class UID (0008,0016)", javaType = "String")
    public static final String SOP_CLASS_UID = "DicomSopClassUID";
    @Metadata(description = "SOP Instance UID (0008,0018)", javaType = "String")
    public static final String SOP_INSTANCE_UID = "DicomSopInstanceUID";
    @Metadata(description = "Transfer syntax the object was received (and is spooled) in", javaType = "String")
    public static final String TRANSFER_SYNTAX_UID = "DicomTransferSyntaxUID";
    @Metadata(description = "Study Instance UID (0020,000D): the unit of ordering per destination", javaType = "String")
    public static final String STUDY_INSTANCE_UID = "DicomStudyInstanceUID";
    @Metadata(description = "Modality (0008,0060)", javaType = "String")
    public static final String MODALITY = "DicomModality";
    @Metadata(description = "Spool object identifier (Orderly)", javaType = "String")
    public static final String OBJECT_ID = "DicomObjectId";
    @Metadata(description = "Status (0000,0900) of the destination's C-STORE-RSP, set by the producer", javaType = "Integer")
    public static final String STATUS = "DicomStatus";
    @Metadata(description = "Destination AE@host:port of a queued delivery", javaType = "String")
    public static final String DESTINATION = "DicomDestination";

    /**
     * Every other top-level text attribute of the data set header is a header named {@code Dicom} + its PS3.6
     * keyword, e.g. {@code DicomInstitutionName}, {@code DicomStationName}; multiple values joined with a backslash.
     */
    public static final String ATTRIBUTE_PREFIX = "Dicom";

    private DicomConstants() {
    }
}
