package org.orderly.hl7.mapping;

import java.util.Locale;
import java.util.Set;
import org.orderly.hl7.MshHeader;

/**
 * Which messages a site overlay applies to: MSH-4.1 sending facility and, optionally, MSH-3.1
 * sending application (compared case-insensitively).
 */
public record SiteMatch(String site, Set<String> facilities, Set<String> applications) {

    /** 0 = no match; 1 = one of facility/application matched; 2 = both. */
    int score(MshHeader h) {
        String facility = h.component(4, 1).trim().toUpperCase(Locale.ROOT);
        String app = h.component(3, 1).trim().toUpperCase(Locale.ROOT);
        boolean facilityOk = facilities.isEmpty() || facilities.contains(facility);
        boolean appOk = applications.isEmpty() || applications.contains(app);
        if (!facilityOk || !appOk) {
            return 0;
        }
        return (facilities.isEmpty() ? 0 : 1) + (applications.isEmpty() ? 0 : 1);
    }
}
