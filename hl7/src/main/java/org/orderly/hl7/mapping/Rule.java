package org.orderly.hl7.mapping;

/**
 * One compiled rule: a DICOM keyword path fed by an expression.
 *
 * @param target keyword path relative to its section, e.g. {@code AccessionNumber},
 *               {@code RequestedProcedureCodeSequence.CodeValue}; step rules are relative to
 *               the Scheduled Procedure Step Sequence item ({@code Modality})
 * @param vr     VR of the last keyword of the path
 * @param expr   the value
 * @param origin "file:line" of the rule, for logs and errors
 */
record Rule(String target, String vr, Expr expr, String origin) {

    String eval(EvalContext ctx) {
        return DicomValues.forVr(expr.eval(ctx), vr);
    }
}
