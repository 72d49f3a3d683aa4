package org.orderly.dicom.data;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The value of an SQ element: an ordered list of items (PS3.5 §7.5). Every item added is linked to the
 * data set holding the sequence, so it inherits that data set's Specific Character Set (PS3.5 §7.5.3).
 */
public final class Sequence extends AbstractList<Attributes> {

    private final Attributes parent;
    private final List<Attributes> items;

    Sequence(Attributes parent, int initialCapacity) {
        this.parent = parent;
        this.items = new ArrayList<>(initialCapacity);
    }

    /** The data set that holds this sequence. */
    public Attributes parent() {
        return parent;
    }

    @Override
    public Attributes get(int index) {
        return items.get(index);
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public Attributes set(int index, Attributes item) {
        Attributes old = items.set(index, link(item));
        old.setParent(null);
        return old;
    }

    @Override
    public void add(int index, Attributes item) {
        items.add(index, link(item));
        modCount++;
    }

    @Override
    public Attributes remove(int index) {
        Attributes old = items.remove(index);
        old.setParent(null);
        modCount++;
        return old;
    }

    /** Adds and returns a new empty item in the byte order of the parent. */
    public Attributes addNewItem() {
        Attributes item = new Attributes(parent.isBigEndian());
        add(item);
        return item;
    }

    private Attributes link(Attributes item) {
        Objects.requireNonNull(item, "item");
        if (item.parent() != null && item.parent() != parent) {
            throw new IllegalArgumentException("item already belongs to another data set; add a copy");
        }
        item.setParent(parent);
        return item;
    }
}
