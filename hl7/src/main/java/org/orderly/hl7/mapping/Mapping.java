package org.orderly.hl7.mapping;

import java.util.List;
import java.util.Map;

/**
 * A compiled mapping: the default file, or the default with one site overlay applied.
 * Immutable and stateless, shared by all threads.
 *
 * @param name          "default" or the site name
 * @param origin        the file(s) it came from
 * @param site          who selects it (null for the default)
 * @param orderControls ORC-1 value to action
 * @param patient       rules for patient attributes (also used for ADT updates)
 * @param order         rules for the imaging service request and requested procedure
 * @param step          rules for each Scheduled Procedure Step Sequence item
 * @param merge         rules for the prior patient of an ADT^A40
 * @param generate      generators by keyword (AccessionNumber, RequestedProcedureID,
 *                      StudyInstanceUID, ScheduledProcedureStepID)
 */
public record Mapping(String name, String origin, SiteMatch site, Map<String, OrderAction> orderControls,
                      List<Rule> patient, List<Rule> order, List<Rule> step, List<Rule> merge,
                      Map<String, Rule> generate) {

    /** The rule for a keyword path in a section, or null. */
    Rule rule(List<Rule> section, String target) {
        for (Rule r : section) {
            if (r.target().equals(target)) {
                return r;
            }
        }
        return null;
    }
}
