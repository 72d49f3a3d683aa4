package org.orderly.dicom.net.service;

import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.Tag;

/**
 * Trims a C-FIND match to the keys of the request (PS3.4 §C.4.1.1.3.2: the SCP returns the keys that were asked
 * for): top-level elements present in the Identifier are kept (plus Specific Character Set); a sequence key with one
 * non-empty item trims each item of the match to that item's keys (PS3.4 §C.2.2.1.3, sequence matching); an empty
 * sequence key returns the whole sequence.
 */
public final class ReturnKeys {

    private ReturnKeys() {
    }

    public static Attributes trim(Attributes match, Attributes keys) {
        Attributes out = new Attributes(match.isBigEndian());
        for (int i = 0; i < match.size(); i++) {
            int tag = match.tagAt(i);
            if (tag != Tag.SpecificCharacterSet && !keys.contains(tag)) {
                continue;
            }
            Object v = match.valueAt(i);
            if (v instanceof Sequence seq) {
                Sequence keySeq = keys.getSequence(tag);
                Attributes itemKeys = keySeq != null && keySeq.size() == 1 && !keySeq.get(0).isEmpty()
                        ? keySeq.get(0) : null;
                Sequence copy = out.newSequence(tag);
                for (Attributes item : seq) {
                    copy.add(itemKeys != null ? trim(item, itemKeys) : new Attributes(item));
                }
            } else {
                out.setValue(tag, match.vrAt(i), v);
            }
        }
        return out;
    }
}
