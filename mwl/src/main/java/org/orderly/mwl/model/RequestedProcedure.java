package org.orderly.mwl.model;

import java.util.Objects;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;

/**
 * An order: the Visit, Imaging Service Request and Requested Procedure attributes of a worklist item
 * (PS3.4 Table K.6-1), plus where it came from.
 *
 * <p>The store finds an existing order by ({@code sender}, Placer Order Number), or, when the order has no
 * placer number, by ({@code sender}, Accession Number).
 *
 * @param sender     namespace of the order numbers: the sending application and facility (HL7 MSH-3/MSH-4,
 *                   e.g. {@code "RIS^HOSP"}), "" when unknown
 * @param attributes every order-level attribute of the item, including Accession Number (0008,0050),
 *                   Requested Procedure ID (0040,1001), Study Instance UID (0020,000D), Placer/Filler Order Number
 *                   Imaging Service Request (0040,2016)/(0040,2017), Worklist Label (0074,1202) (not copied)
 */
public record RequestedProcedure(String sender, Attributes attributes) {

    public RequestedProcedure {
        sender = sender == null ? "" : sender;
        Objects.requireNonNull(attributes, "attributes");
    }

    public String placerOrderNumber() {
        return attributes.getString(Tag.PlacerOrderNumberImagingServiceRequest);
    }

    public String fillerOrderNumber() {
        return attributes.getString(Tag.FillerOrderNumberImagingServiceRequest);
    }

    public String accessionNumber() {
        return attributes.getString(Tag.AccessionNumber);
    }

    public String requestedProcedureId() {
        return attributes.getString(Tag.RequestedProcedureID);
    }

    public String studyInstanceUid() {
        return attributes.getString(Tag.StudyInstanceUID);
    }

    public String worklistLabel() {
        return attributes.getString(Tag.WorklistLabel);
    }

    public String description() {
        return attributes.getString(Tag.RequestedProcedureDescription);
    }
}
