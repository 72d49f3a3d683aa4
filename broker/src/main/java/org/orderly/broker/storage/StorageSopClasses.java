package org.orderly.broker.storage;

import java.util.List;
import org.orderly.dicom.data.UIDDictionary;

/**
 * The storage SOP classes Orderly accepts: every "SOP Class" of the UID registry (PS3.6 Annex A, Table A-1) whose
 * name ends in "Storage" (PS3.4 Annex B.5 lists them), retired ones included: a modality may still send them.
 */
public final class StorageSopClasses {

    private StorageSopClasses() {
    }

    public static List<String> all() {
        return UIDDictionary.entries().stream()
                .filter(e -> "SOP Class".equals(e.type()) && e.name().endsWith("Storage"))
                .map(UIDDictionary.Entry::uid).sorted().toList();
    }
}
