package org.orderly.dicom.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Encapsulated pixel data (PS3.5 §A.4): item 0 is the Basic Offset Table (possibly empty), the others
 * are the compressed fragments. Each entry is a {@code byte[]} or a {@link BulkData}; they are carried
 * through unchanged.
 */
public final class Fragments {

    private final List<Object> items = new ArrayList<>();

    /** Appends a fragment held in memory. The array is not copied: do not modify it afterwards. */
    public Fragments add(byte[] fragment) {
        items.add(java.util.Objects.requireNonNull(fragment));
        return this;
    }

    /** Appends a fragment stored in a file. */
    public Fragments add(BulkData fragment) {
        items.add(fragment);
        return this;
    }

    /** A {@code byte[]} (not a copy: do not modify) or a {@link BulkData}. */
    public Object get(int index) {
        return items.get(index);
    }

    /** Length in bytes of fragment {@code index}. */
    public long length(int index) {
        Object o = items.get(index);
        return o instanceof byte[] b ? b.length : ((BulkData) o).length();
    }

    public int size() {
        return items.size();
    }

    Fragments copy() {
        Fragments f = new Fragments();
        f.items.addAll(items);
        return f;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Fragments f) || f.items.size() != items.size()) {
            return false;
        }
        for (int i = 0; i < items.size(); i++) {
            if (!Attributes.valueEquals(items.get(i), f.items.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return items.size();
    }
}
