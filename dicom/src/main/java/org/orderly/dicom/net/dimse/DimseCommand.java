package org.orderly.dicom.net.dimse;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.Tags;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.io.DatasetCodec;
import org.orderly.dicom.io.DicomStreamException;

/**
 * One DIMSE command set (PS3.7 §6.3.1, §9.3, §10.3): typed access to the group 0000 elements, builders for requests
 * and responses, validation against the {@link Dimse} table, and the Implicit VR Little Endian encoding
 * (PS3.7 §6.3.1: command sets always use it). A thin view over an {@link Attributes}; not thread-safe while built.
 */
public final class DimseCommand {

    /** Command Data Set Type (0000,0800) value meaning "no data set", PS3.7 §9.3 / §10.3 tables. */
    public static final int NO_DATA_SET = 0x0101;
    /** A value meaning "a data set follows" (any value other than 0101H). */
    public static final int DATA_SET_PRESENT = 0x0000;

    /** Priority (0000,0700), PS3.7 §9.1.1.1.10. */
    public static final int PRIORITY_MEDIUM = 0x0000;
    public static final int PRIORITY_HIGH = 0x0001;
    public static final int PRIORITY_LOW = 0x0002;

    /** ErrorComment (0000,0902) is LO: at most 64 characters (PS3.5 Table 6.2-1). */
    public static final int MAX_ERROR_COMMENT = 64;

    private final Attributes attrs;

    private DimseCommand(Attributes attrs) {
        this.attrs = attrs;
    }

    /** Decodes a received command set. */
    public static DimseCommand decode(byte[] encoded) throws DicomStreamException {
        return new DimseCommand(DatasetCodec.decodeCommand(encoded));
    }

    /** Wraps existing command elements (no copy). */
    public static DimseCommand of(Attributes commandElements) {
        return new DimseCommand(Objects.requireNonNull(commandElements));
    }

    /** A request with its SOP Class UID, Message ID and Command Data Set Type; Priority MEDIUM where mandatory. */
    public static DimseCommand request(Dimse dimse, int messageId, String sopClassUid, String sopInstanceUidOrNull,
            boolean hasDataSet) {
        if (!dimse.isRequest()) {
            throw new IllegalArgumentException(dimse + " is not a request");
        }
        DimseCommand c = new DimseCommand(new Attributes());
        c.setUS(Tag.CommandField, dimse.commandField());
        if (dimse == Dimse.C_CANCEL_RQ) {
            c.setUS(Tag.MessageIDBeingRespondedTo, messageId);
        } else {
            c.setUS(Tag.MessageID, messageId);
            c.attrs.setString(dimse.sopClassTag(), VR.UI, sopClassUid);
        }
        if (sopInstanceUidOrNull != null && dimse.sopInstanceTag() != 0) {
            c.attrs.setString(dimse.sopInstanceTag(), VR.UI, sopInstanceUidOrNull);
        }
        if (dimse.requiredElements().contains(Tag.Priority)) {
            c.setUS(Tag.Priority, PRIORITY_MEDIUM);
        }
        c.setUS(Tag.CommandDataSetType, hasDataSet ? DATA_SET_PRESENT : NO_DATA_SET);
        return c;
    }

    /**
     * The response to {@code rq}: Command Field, Message ID Being Responded To, Status, and the Affected SOP
     * Class/Instance UID taken from the request's Affected or Requested ones (PS3.7 §10.3: N-service responses
     * carry "Affected" the request's "Requested").
     */
    public static DimseCommand response(DimseCommand rq, Status status, boolean hasDataSet) {
        Dimse rqDimse = rq.dimse().orElseThrow(() -> new IllegalArgumentException("unknown command field"));
        Dimse rsp = rqDimse.response().orElseThrow(() -> new IllegalArgumentException(rqDimse + " has no response"));
        DimseCommand c = new DimseCommand(new Attributes());
        c.setUS(Tag.CommandField, rsp.commandField());
        c.setUS(Tag.MessageIDBeingRespondedTo, rq.messageId());
        String cuid = rq.sopClassUid();
        if (cuid != null) {
            c.attrs.setString(Tag.AffectedSOPClassUID, VR.UI, cuid);
        }
        String iuid = rq.sopInstanceUid();
        if (iuid != null && rsp.sopInstanceTag() != 0) {
            c.attrs.setString(Tag.AffectedSOPInstanceUID, VR.UI, iuid);
        }
        if (rsp == Dimse.N_ACTION_RSP && rq.actionTypeId() >= 0) {
            c.setActionTypeId(rq.actionTypeId()); // PS3.7 Table 10.3-8
        } else if (rsp == Dimse.N_EVENT_REPORT_RSP && rq.eventTypeId() >= 0) {
            c.setEventTypeId(rq.eventTypeId()); // PS3.7 Table 10.3-2
        }
        c.setUS(Tag.Status, status.code());
        c.setUS(Tag.CommandDataSetType, hasDataSet ? DATA_SET_PRESENT : NO_DATA_SET);
        return c;
    }

    // ---------------------------------------------------------------- access

    public Attributes attributes() {
        return attrs;
    }

    public int commandField() {
        return attrs.getInt(Tag.CommandField, -1);
    }

    public Optional<Dimse> dimse() {
        int cf = commandField();
        return cf < 0 ? Optional.empty() : Dimse.of(cf);
    }

    /** Message ID (0000,0110), or -1. */
    public int messageId() {
        return attrs.getInt(Tag.MessageID, -1);
    }

    /** Message ID Being Responded To (0000,0120), or -1. */
    public int messageIdBeingRespondedTo() {
        return attrs.getInt(Tag.MessageIDBeingRespondedTo, -1);
    }

    /** Affected SOP Class UID, else Requested SOP Class UID, else null. */
    public String sopClassUid() {
        String s = uid(Tag.AffectedSOPClassUID);
        return s != null ? s : uid(Tag.RequestedSOPClassUID);
    }

    /** Affected SOP Instance UID, else Requested SOP Instance UID, else null. */
    public String sopInstanceUid() {
        String s = uid(Tag.AffectedSOPInstanceUID);
        return s != null ? s : uid(Tag.RequestedSOPInstanceUID);
    }

    public boolean hasDataSet() {
        return attrs.getInt(Tag.CommandDataSetType, NO_DATA_SET) != NO_DATA_SET;
    }

    public Status status() {
        return Status.of(attrs.getInt(Tag.Status, 0xFFFF) & 0xFFFF);
    }

    public int priority() {
        return attrs.getInt(Tag.Priority, PRIORITY_MEDIUM);
    }

    public int eventTypeId() {
        return attrs.getInt(Tag.EventTypeID, -1);
    }

    public int actionTypeId() {
        return attrs.getInt(Tag.ActionTypeID, -1);
    }

    /** Attribute Identifier List (0000,1005), tags; empty if absent ("all attributes", PS3.7 §10.1.2.1.4). */
    public int[] attributeIdentifierList() {
        int[] t = attrs.getInts(Tag.AttributeIdentifierList);
        return t == null ? new int[0] : t;
    }

    public String errorComment() {
        return attrs.getString(Tag.ErrorComment);
    }

    public String moveOriginatorAeTitle() {
        String s = attrs.getString(Tag.MoveOriginatorApplicationEntityTitle);
        return s == null ? null : s.trim();
    }

    public int moveOriginatorMessageId() {
        return attrs.getInt(Tag.MoveOriginatorMessageID, -1);
    }

    // ---------------------------------------------------------------- building

    public DimseCommand setUS(int tag, int value) {
        attrs.setInt(tag, VR.US, value);
        return this;
    }

    public DimseCommand setPriority(int priority) {
        return setUS(Tag.Priority, priority);
    }

    public DimseCommand setEventTypeId(int id) {
        return setUS(Tag.EventTypeID, id);
    }

    public DimseCommand setActionTypeId(int id) {
        return setUS(Tag.ActionTypeID, id);
    }

    public DimseCommand setAffectedSopInstanceUid(String uid) {
        attrs.setString(Tag.AffectedSOPInstanceUID, VR.UI, uid);
        return this;
    }

    public DimseCommand setAttributeIdentifierList(int... tags) {
        if (tags.length > 0) {
            attrs.setInt(Tag.AttributeIdentifierList, VR.AT, tags);
        }
        return this;
    }

    public DimseCommand setMoveOriginator(String aeTitle, int messageId) {
        attrs.setString(Tag.MoveOriginatorApplicationEntityTitle, VR.AE, aeTitle);
        return setUS(Tag.MoveOriginatorMessageID, messageId);
    }

    /** Error Comment (0000,0902), trimmed to 64 characters and to the default repertoire (LO, PS3.5 §6.2). */
    public DimseCommand setErrorComment(String comment) {
        if (comment != null && !comment.isEmpty()) {
            attrs.setString(Tag.ErrorComment, VR.LO, sanitizeComment(comment));
        }
        return this;
    }

    /** Offending Element (0000,0901), AT 1-n. */
    public DimseCommand setOffendingElements(int... tags) {
        if (tags.length > 0) {
            attrs.setInt(Tag.OffendingElement, VR.AT, tags);
        }
        return this;
    }

    /** Error ID (0000,0903), US. */
    public DimseCommand setErrorId(int id) {
        return setUS(Tag.ErrorID, id);
    }

    /** LO: default repertoire without backslash and control characters, at most 64 characters. */
    static String sanitizeComment(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_ERROR_COMMENT));
        for (int i = 0; i < s.length() && b.length() < MAX_ERROR_COMMENT; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c >= 0x7F || c == '\\' ? '?' : c);
        }
        return b.toString().trim();
    }

    // ---------------------------------------------------------------- validation

    /**
     * The mandatory elements of this command's {@link Dimse} table that are missing or empty (PS3.7 §9.3 / §10.3),
     * plus Command Data Set Type when a data set is required or forbidden and the value disagrees. Empty when the
     * command is complete; for an unknown Command Field, the list holds (0000,0100).
     */
    public List<Integer> missingElements() {
        List<Integer> missing = new ArrayList<>();
        Optional<Dimse> d = dimse();
        if (d.isEmpty()) {
            missing.add(Tag.CommandField);
            return missing;
        }
        for (int tag : d.get().requiredElements()) {
            if (!attrs.contains(tag) || isEmpty(tag)) {
                missing.add(tag);
            }
        }
        if (!attrs.contains(Tag.CommandDataSetType)) {
            missing.add(Tag.CommandDataSetType);
        }
        return missing;
    }

    /** True when the Command Data Set Type contradicts the table (data set required but absent, or vice versa). */
    public boolean dataSetTypeMismatch() {
        Optional<Dimse> d = dimse();
        if (d.isEmpty() || d.get().dataSet() == null) {
            return false;
        }
        return d.get().dataSet() != hasDataSet();
    }

    private boolean isEmpty(int tag) {
        Object v = attrs.getValue(tag);
        return v instanceof byte[] b && b.length == 0;
    }

    private String uid(int tag) {
        String s = attrs.getString(tag);
        if (s == null) {
            return null;
        }
        s = s.replace("\0", "").trim();
        return s.isEmpty() ? null : s;
    }

    /** Implicit VR Little Endian with Command Group Length computed (PS3.7 §6.3.1, Annex E). */
    public byte[] encode() {
        return DatasetCodec.encodeCommand(attrs);
    }

    /** e.g. {@code C-FIND-RSP[id=3, status=FF00H, cuid=1.2.840.10008.5.1.4.31]}: UIDs and codes only, no PHI. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(dimse().map(Dimse::toString).orElse("command " + Integer.toHexString(commandField())));
        b.append('[');
        int id = messageId();
        if (id >= 0) {
            b.append("id=").append(id);
        } else {
            b.append("rsp-to=").append(messageIdBeingRespondedTo());
        }
        if (attrs.contains(Tag.Status)) {
            b.append(", status=").append(Status.hex(status().code()));
        }
        String cuid = sopClassUid();
        if (cuid != null) {
            b.append(", cuid=").append(cuid);
        }
        String iuid = sopInstanceUid();
        if (iuid != null) {
            b.append(", iuid=").append(iuid);
        }
        return b.append(']').toString();
    }

    /** For log lines naming a missing element. */
    public static String tagsToString(List<Integer> tags) {
        StringBuilder b = new StringBuilder();
        for (int t : tags) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(Tags.toString(t));
        }
        return b.toString();
    }
}
