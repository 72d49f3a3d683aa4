package org.orderly.mwl.access;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.orderly.dicom.data.UID;

/**
 * The per-calling-AE rules of the worklist as one immutable value (the broker swaps it whole when the rules file
 * changes, so a query sees either the old or the new rules, never a mix).
 *
 * @param rules          by calling AE title (exact, case-sensitive as AE titles are, PS3.5 §6.2)
 * @param defaultRule    applied to callers without their own rule when they are let in
 * @param refuseUnknown  true: an association from a caller without its own rule that proposes the Modality Worklist
 *                       SOP class is refused (A-ASSOCIATE-RJ 1/1/3, PS3.8 §9.3.4, Table 9-21)
 */
public record MwlAccessPolicy(Map<String, CallingAeRule> rules, CallingAeRule defaultRule, boolean refuseUnknown) {

    /** No rules, everybody sees everything. */
    public static final MwlAccessPolicy OPEN = new MwlAccessPolicy(Map.of(), CallingAeRule.SEE_ALL, false);

    public MwlAccessPolicy {
        rules = Map.copyOf(rules);
        Objects.requireNonNull(defaultRule, "defaultRule");
    }

    /** The same rules with another decision for unknown callers. */
    public MwlAccessPolicy withRefuseUnknown(boolean refuse) {
        return new MwlAccessPolicy(rules, defaultRule, refuse);
    }

    /** The rule for a caller: its own, else the default one; empty if unknown callers are refused. */
    public Optional<CallingAeRule> ruleFor(String callingAe) {
        CallingAeRule r = rules.get(callingAe);
        if (r != null) {
            return Optional.of(r);
        }
        return refuseUnknown ? Optional.empty() : Optional.of(defaultRule);
    }

    /**
     * The association check (a {@code CallingAeCheck}): refuses an unknown caller that proposes Modality Worklist
     * Information Model - FIND when unknown callers are refused; anything else is left to the other services.
     */
    public String refusal(String callingAe, Set<String> abstractSyntaxes) {
        if (refuseUnknown && abstractSyntaxes.contains(UID.ModalityWorklistInformationModelFind)
                && !rules.containsKey(callingAe)) {
            return "calling AE title '" + callingAe + "' has no worklist rule (orderly.mwl.unknown-callers=refuse)";
        }
        return null;
    }
}
