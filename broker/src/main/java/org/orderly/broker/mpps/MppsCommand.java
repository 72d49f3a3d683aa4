package org.orderly.broker.mpps;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.orderly.broker.cli.CliArgs;
import org.orderly.broker.cli.Command;
import org.orderly.broker.cli.ExitCode;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.ElementDictionary;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.net.AeAddress;
import org.orderly.dicom.net.DicomClient;
import org.orderly.dicom.net.DimseResponse;
import org.orderly.mpps.MppsAttributeRules;
import org.orderly.mpps.MppsStatus;

/**
 * {@code orderly mpps AE@host:port --accession A --status COMPLETED [--study UID] [--sps-id ID]
 * [--patient-id ID] [--modality CT] [--iuid UID] [--calling-ae AE] [--timeout S]}: plays a modality for an admin
 * testing a setup. IN PROGRESS sends an N-CREATE; COMPLETED / DISCONTINUED send the N-CREATE and then the N-SET with
 * the final state attributes (PS3.4 §F.7.2), or only the N-SET when {@code --iuid} names an existing instance.
 * Prints each status; exit 0 only when every operation answered Success.
 */
public final class MppsCommand implements Command {

    @Override
    public String name() {
        return "mpps";
    }

    @Override
    public String summary() {
        return "AE@host:port --accession A --status IN PROGRESS|COMPLETED|DISCONTINUED [--study UID] [--sps-id ID]"
                + " [--patient-id ID] [--modality CT] [--iuid UID] [--calling-ae AE] [--timeout S]  send MPPS like a modality";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        CliArgs a;
        AeAddress peer;
        MppsStatus status;
        try {
            a = CliArgs.parse(args, "--accession", "--status", "--study", "--sps-id", "--patient-id", "--modality",
                    "--iuid", "--calling-ae", "--timeout");
            if (a.positional().size() != 1) {
                throw new IllegalArgumentException("one AE@host:port");
            }
            peer = AeAddress.parse(a.positional().get(0));
            String s = a.option("--status", "COMPLETED").replace('_', ' ');
            status = MppsStatus.of(s).orElseThrow(() -> new IllegalArgumentException("--status must be IN PROGRESS,"
                    + " COMPLETED or DISCONTINUED"));
        } catch (IllegalArgumentException e) {
            err.println("orderly mpps: " + e.getMessage());
            err.println("usage: orderly mpps " + summary());
            return ExitCode.USAGE;
        }
        String iuid = a.option("--iuid", null);
        boolean create = iuid == null;
        if (create) {
            iuid = "2.25." + new java.math.BigInteger(1, java.nio.ByteBuffer.allocate(16)
                    .putLong(java.util.UUID.randomUUID().getMostSignificantBits())
                    .putLong(java.util.UUID.randomUUID().getLeastSignificantBits()).array());
        }
        LocalDateTime now = LocalDateTime.now();
        try (DicomClient c = DicomClient.to(peer).callingAe(a.option("--calling-ae", "ORDERLY_CLI"))
                .responseTimeout(Duration.ofSeconds(Long.parseLong(a.option("--timeout", "10"))))
                .context(UID.ModalityPerformedProcedureStep).connect()) {
            boolean ok = true;
            if (create) {
                DimseResponse r = c.nCreate(UID.ModalityPerformedProcedureStep, iuid, createAttributes(a, now));
                out.printf("N-CREATE %s IN PROGRESS: %s%s%n", iuid, r.status(), comment(r));
                ok = r.status().isSuccess();
            }
            if (ok && status.isFinal()) {
                Attributes m = new Attributes();
                m.setString(Tag.PerformedProcedureStepStatus, VR.CS, status.term());
                m.setString(Tag.PerformedProcedureStepEndDate, VR.DA, now.format(DateTimeFormatter.BASIC_ISO_DATE));
                m.setString(Tag.PerformedProcedureStepEndTime, VR.TM, now.format(DateTimeFormatter.ofPattern("HHmmss")));
                if (status == MppsStatus.COMPLETED) {
                    Attributes s = m.newSequence(Tag.PerformedSeriesSequence).addNewItem();
                    for (var req : MppsAttributeRules.PERFORMED_SERIES_ITEM) {
                        if (req.tag() == Tag.ReferencedImageSequence
                                || req.tag() == Tag.ReferencedNonImageCompositeSOPInstanceSequence) {
                            s.newSequence(req.tag());
                        } else if (req.createType() == 2) {
                            s.setNull(req.tag(), ElementDictionary.implicitVR(req.tag()));
                        }
                    }
                    s.setString(Tag.ProtocolName, VR.LO, "ORDERLY CLI TEST");
                    s.setString(Tag.SeriesInstanceUID, VR.UI, iuid + ".1");
                }
                DimseResponse r = c.nSet(UID.ModalityPerformedProcedureStep, iuid, m);
                out.printf("N-SET %s %s: %s%s%n", iuid, status.term(), r.status(), comment(r));
                ok = r.status().isSuccess();
            }
            c.release();
            return ok ? ExitCode.OK : ExitCode.FAILURE;
        } catch (IOException | RuntimeException e) {
            err.println("orderly mpps: " + peer + ": " + e.getMessage());
            return ExitCode.FAILURE;
        }
    }

    private static String comment(DimseResponse r) {
        return r.errorComment() == null ? "" : " (" + r.errorComment() + ")";
    }

    /** A complete N-CREATE attribute list (Table F.7.2-1): Type 2 attributes present, empty unless given. */
    private static Attributes createAttributes(CliArgs a, LocalDateTime now) {
        Attributes attrs = new Attributes();
        for (var req : MppsAttributeRules.CREATE) {
            if (req.tag() != Tag.ScheduledStepAttributesSequence) {
                VR vr = ElementDictionary.implicitVR(req.tag());
                if (vr == VR.SQ) {
                    attrs.newSequence(req.tag());
                } else {
                    attrs.setNull(req.tag(), vr);
                }
            }
        }
        Attributes item = attrs.newSequence(Tag.ScheduledStepAttributesSequence).addNewItem();
        for (var req : MppsAttributeRules.SCHEDULED_STEP_ITEM) {
            VR vr = ElementDictionary.implicitVR(req.tag());
            if (vr == VR.SQ) {
                item.newSequence(req.tag());
            } else {
                item.setNull(req.tag(), vr);
            }
        }
        item.setString(Tag.StudyInstanceUID, VR.UI, a.option("--study", "2.25." + Math.abs(now.hashCode()) + System.nanoTime()));
        item.setString(Tag.AccessionNumber, VR.SH, a.option("--accession", ""));
        item.setString(Tag.ScheduledProcedureStepID, VR.SH, a.option("--sps-id", ""));
        attrs.setString(Tag.PatientID, VR.LO, a.option("--patient-id", ""));
        attrs.setString(Tag.PerformedProcedureStepID, VR.SH, "CLI" + (System.currentTimeMillis() % 100000));
        attrs.setString(Tag.PerformedStationAETitle, VR.AE, a.option("--calling-ae", "ORDERLY_CLI"));
        attrs.setString(Tag.PerformedProcedureStepStartDate, VR.DA, now.format(DateTimeFormatter.BASIC_ISO_DATE));
        attrs.setString(Tag.PerformedProcedureStepStartTime, VR.TM, now.format(DateTimeFormatter.ofPattern("HHmmss")));
        attrs.setString(Tag.PerformedProcedureStepStatus, VR.CS, MppsStatus.IN_PROGRESS.term());
        attrs.setString(Tag.Modality, VR.CS, a.option("--modality", "OT"));
        return attrs;
    }
}
