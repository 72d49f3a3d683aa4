package org.orderly.broker.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.ElementDictionary;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.UID;
import org.orderly.dicom.data.VR;
import org.orderly.dicom.net.AeAddress;
import org.orderly.dicom.net.DicomClient;
import org.orderly.dicom.net.DimseResponse;
import org.orderly.dicom.net.acse.AssociationRejectedException;

/**
 * {@code orderly find AE@host:port -k Key=Value ... [--calling-ae AE] [--timeout S]}: a Modality Worklist query
 * (PS3.4 Annex K, C-FIND on 1.2.840.10008.5.1.4.31) from the broker jar, for admins checking a setup. Keys as
 * dcmtk's findscu takes them: {@code -k PatientName=DOE*} (matching key), {@code -k PatientID} (return key,
 * zero-length), {@code -k ScheduledProcedureStepSequence[0].ScheduledStationAETitle=CT1} (inside the sequence), or
 * a tag {@code -k 0010,0010=DOE*}. Values with characters outside ASCII are sent as UTF-8 (ISO_IR 192). Prints each
 * answer as readable lines, then the final status; exit 0 only on Success.
 */
public final class FindCommand implements Command {

    @Override
    public String name() {
        return "find";
    }

    @Override
    public String summary() {
        return "AE@host:port -k Key[=Value] ... [--calling-ae AE] [--timeout S]  Modality Worklist query; exit 0 on Success";
    }

    @Override
    public String usage() {
        return "usage: orderly find AE@host:port -k Key[=Value] ... [--calling-ae AE] [--timeout S]\n"
                + "  e.g. orderly find ORDERLY@ris:11112 --calling-ae CT1 -k PatientName -k AccessionNumber \\\n"
                + "       -k ScheduledProcedureStepSequence[0].ScheduledStationAETitle=CT1 \\\n"
                + "       -k ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate=20240315";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        CliArgs a;
        try {
            a = CliArgs.parse(args, "--calling-ae", "--timeout", "-k");
        } catch (IllegalArgumentException e) {
            err.println("orderly find: " + e.getMessage());
            return ExitCode.USAGE;
        }
        if (a.positional().size() != 1) {
            err.println(usage());
            return ExitCode.USAGE;
        }
        AeAddress peer;
        Duration timeout;
        Attributes keys;
        try {
            peer = AeAddress.parse(a.positional().get(0));
            timeout = Duration.ofSeconds(Long.parseLong(a.option("--timeout", "30")));
            keys = parseKeys(a.options("-k"));
        } catch (IllegalArgumentException e) {
            err.println("orderly find: " + e.getMessage());
            return ExitCode.USAGE;
        }
        String calling = a.option("--calling-ae", "ORDERLY");
        AtomicInteger n = new AtomicInteger();
        try (DicomClient client = DicomClient.to(peer).callingAe(calling).responseTimeout(timeout)
                .context(UID.ModalityWorklistInformationModelFind).connect()) {
            long t0 = System.nanoTime();
            DimseResponse rsp = client.find(UID.ModalityWorklistInformationModelFind, keys, match -> {
                out.println("answer " + n.incrementAndGet() + ":");
                print(match, "  ", out);
            });
            out.printf("final status: %s%s, %d answer(s) in %.1f ms%n", rsp.status(),
                    rsp.errorComment() == null ? "" : " (" + rsp.errorComment() + ")", n.get(),
                    (System.nanoTime() - t0) / 1e6);
            client.release();
            return rsp.status().isSuccess() ? ExitCode.OK : ExitCode.FAILURE;
        } catch (AssociationRejectedException e) {
            err.println("orderly find: " + peer + " rejected the association: " + e.rejection());
        } catch (IOException e) {
            err.println("orderly find: " + peer + ": " + e.getMessage());
        }
        return ExitCode.FAILURE;
    }

    /**
     * findscu-style keys into an Identifier: {@code Keyword[=Value]}, {@code gggg,eeee[=Value]}, nested with
     * {@code Sequence[0].Keyword}; a value with a backslash has several values.
     *
     * @throws IllegalArgumentException naming the key that is not understood
     */
    public static Attributes parseKeys(List<String> specs) {
        Attributes keys = new Attributes();
        boolean nonAscii = specs.stream().anyMatch(s -> s.chars().anyMatch(c -> c >= 0x80));
        if (nonAscii) {
            keys.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        }
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            String path = eq < 0 ? spec : spec.substring(0, eq);
            String value = eq < 0 ? null : spec.substring(eq + 1);
            String[] parts = path.split("\\.");
            Attributes target = keys;
            for (int i = 0; i < parts.length - 1; i++) {
                String p = parts[i];
                int br = p.indexOf('[');
                String name = br < 0 ? p : p.substring(0, br);
                int index = br < 0 ? 0 : parseIndex(p.substring(br), spec);
                int tag = tag(name, spec);
                if (vr(tag) != VR.SQ) {
                    throw new IllegalArgumentException("key " + spec + ": " + name + " is not a sequence");
                }
                Sequence seq = target.getSequence(tag);
                if (seq == null) {
                    seq = target.newSequence(tag);
                }
                while (seq.size() <= index) {
                    seq.addNewItem();
                }
                target = seq.get(index);
            }
            int tag = tag(parts[parts.length - 1], spec);
            VR vr = vr(tag);
            if (vr == VR.SQ) {
                if (value != null && !value.isEmpty()) {
                    throw new IllegalArgumentException("key " + spec + ": a sequence takes no value");
                }
                if (target.getSequence(tag) == null) {
                    target.newSequence(tag);
                }
            } else if (value == null || value.isEmpty()) {
                target.setNull(tag, vr);
            } else {
                try {
                    target.setString(tag, vr, value.split("\\\\", -1));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("key " + spec + ": " + e.getMessage());
                }
            }
        }
        return keys;
    }

    private static int parseIndex(String bracket, String spec) {
        if (!bracket.matches("\\[\\d{1,3}]")) {
            throw new IllegalArgumentException("key " + spec + ": expected [n] after the sequence name");
        }
        return Integer.parseInt(bracket.substring(1, bracket.length() - 1));
    }

    private static int tag(String name, String spec) {
        if (name.matches("\\(?[0-9A-Fa-f]{4},[0-9A-Fa-f]{4}\\)?")) {
            String hex = name.replaceAll("[(),]", "");
            return (int) Long.parseLong(hex, 16);
        }
        int tag = ElementDictionary.tagOf(name);
        if (tag == -1) {
            throw new IllegalArgumentException("key " + spec + ": '" + name + "' is not a DICOM keyword (PS3.6)");
        }
        return tag;
    }

    private static VR vr(int tag) {
        VR vr = ElementDictionary.implicitVR(tag);
        return vr == null ? VR.UN : vr;
    }

    /** One line per element: {@code (0010,0010) PN PatientName: DOE^JOHN}; sequence items indented. */
    static void print(Attributes ds, String indent, PrintStream out) {
        for (int i = 0; i < ds.size(); i++) {
            int tag = ds.tagAt(i);
            String head = String.format("%s(%04X,%04X) %s %s", indent, tag >>> 16, tag & 0xFFFF, ds.vrAt(i),
                    ElementDictionary.keywordOf(tag));
            if (ds.valueAt(i) instanceof Sequence seq) {
                out.println(head + ": " + seq.size() + " item(s)");
                for (int k = 0; k < seq.size(); k++) {
                    out.println(indent + "  item " + (k + 1) + ":");
                    print(seq.get(k), indent + "    ", out);
                }
            } else {
                out.println(head + ": " + String.join("\\", ds.getStrings(tag)));
            }
        }
    }
}
