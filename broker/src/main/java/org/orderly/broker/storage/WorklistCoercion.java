package org.orderly.broker.storage;

import java.io.IOException;
import org.apache.camel.Exchange;
import org.orderly.mwl.store.WorklistStore;

/**
 * Bean {@code #worklistCoerce} (method {@code coerce}): like {@code #dicomCoerce} (a coerced COPY, the headers
 * {@code DicomCoerce.<Keyword>} applied), and in the same pass fills a missing Accession Number / Study Instance UID
 * from the matching worklist item ({@link WorklistMatch} has the matching rule, after IHE RAD-8). A header set by the
 * route wins over the worklist. When nothing is to change, the original object goes on unchanged (no copy).
 * A failing database read fails the routing, which is then retried like any other routing failure.
 */
public final class WorklistCoercion {
    private final AttributeCoercion coercion;
    private final WorklistMatch match;

    WorklistCoercion(AttributeCoercion coercion, WorklistStore store) {
        this.coercion = coercion;
        this.match = new WorklistMatch(store);
    }

    public void coerce(Exchange ex) throws IOException {
        coercion.coerce(ex, match::missingFrom);
    }
}
