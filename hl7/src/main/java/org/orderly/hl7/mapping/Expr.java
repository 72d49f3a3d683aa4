package org.orderly.hl7.mapping;

import ca.uhn.hl7v2.model.Segment;
import java.util.List;
import java.util.Map;

/**
 * A compiled value expression of a mapping rule. Every expression yields a string, "" when
 * it has no value.
 */
sealed interface Expr {

    String eval(EvalContext ctx);

    /** The first HL7 path this expression reads, for error locations; null when none. */
    FieldPath firstPath();

    /** An HL7 field path. */
    record PathExpr(FieldPath path) implements Expr {
        @Override
        public String eval(EvalContext ctx) {
            Segment seg = ctx.find(path.segment(), path.occurrence());
            return seg == null ? "" : path.read(seg);
        }

        /** The field read as a name (XPN or XCN) and converted to DICOM PN. */
        String evalName(EvalContext ctx, Transform t) {
            Segment seg = ctx.find(path.segment(), path.occurrence());
            if (seg == null) {
                return "";
            }
            if (t == Transform.PN_FROM_XPN) {
                return DicomValues.pn(path.read(seg, 1, 1), path.read(seg, 2, 1), path.read(seg, 3, 1),
                        path.read(seg, 5, 1), path.read(seg, 4, 1));
            }
            if (t == Transform.PN_FROM_NDL) {
                return DicomValues.pn(path.read(seg, 1, 2), path.read(seg, 1, 3), path.read(seg, 1, 4),
                        path.read(seg, 1, 6), path.read(seg, 1, 5));
            }
            return DicomValues.pn(path.read(seg, 2, 1), path.read(seg, 3, 1), path.read(seg, 4, 1),
                    path.read(seg, 6, 1), path.read(seg, 5, 1));
        }

        @Override
        public FieldPath firstPath() {
            return path;
        }
    }

    /** {@code @Keyword}: an attribute mapped by an earlier rule. */
    record RefExpr(String keyword) implements Expr {
        @Override
        public String eval(EvalContext ctx) {
            return ctx.attribute(keyword);
        }

        @Override
        public FieldPath firstPath() {
            return null;
        }
    }

    /** A literal value. */
    record ConstExpr(String value) implements Expr {
        @Override
        public String eval(EvalContext ctx) {
            return value;
        }

        @Override
        public FieldPath firstPath() {
            return null;
        }
    }

    /** {@code {counter}} / {@code {counter:8}} in a generator pattern: the next value of a counter. */
    record CounterExpr(String counter, int width) implements Expr {
        @Override
        public String eval(EvalContext ctx) {
            String n = Long.toString(ctx.ids.next(counter));
            StringBuilder sb = new StringBuilder();
            for (int i = n.length(); i < width; i++) {
                sb.append('0');
            }
            return sb.append(n).toString();
        }

        @Override
        public FieldPath firstPath() {
            return null;
        }
    }

    /** {@code {step}}: 1-based number of the step within its order group. */
    record StepExpr() implements Expr {
        @Override
        public String eval(EvalContext ctx) {
            return Integer.toString(ctx.stepNumber);
        }

        @Override
        public FieldPath firstPath() {
            return null;
        }
    }

    /** {@code uuid}: a new UUID-derived UID (PS3.5 §B.2). */
    record UidExpr() implements Expr {
        @Override
        public String eval(EvalContext ctx) {
            return ctx.ids.newUid();
        }

        @Override
        public FieldPath firstPath() {
            return null;
        }
    }

    /**
     * Text with {@code {placeholders}}; "" when any placeholder is empty, so that a template
     * such as {@code "{@Modality}/{PV1-3-1}"} falls through to the next source.
     */
    record TemplateExpr(List<Object> parts) implements Expr {
        @Override
        public String eval(EvalContext ctx) {
            StringBuilder sb = new StringBuilder();
            for (Object p : parts) {
                if (p instanceof Expr e) {
                    String v = e.eval(ctx);
                    if (v.isEmpty()) {
                        return "";
                    }
                    sb.append(v);
                } else {
                    sb.append((String) p);
                }
            }
            return sb.toString();
        }

        @Override
        public FieldPath firstPath() {
            for (Object p : parts) {
                if (p instanceof Expr e && e.firstPath() != null) {
                    return e.firstPath();
                }
            }
            return null;
        }
    }

    /**
     * A full rule: sources tried in order, each through the transforms and the table; the first
     * non-empty result wins; else the default.
     */
    record RuleExpr(List<Expr> sources, Transform nameTransform, List<Transform> transforms,
                    Map<String, String> table, boolean keepUnmatched, String defaultValue) implements Expr {
        @Override
        public String eval(EvalContext ctx) {
            for (Expr source : sources) {
                String v = nameTransform != null && source instanceof PathExpr p
                        ? p.evalName(ctx, nameTransform)
                        : source.eval(ctx);
                for (Transform t : transforms) {
                    if (v.isEmpty()) {
                        break;
                    }
                    v = t.apply(v);
                }
                if (table != null && !v.isEmpty()) {
                    String mapped = table.get(v);
                    if (mapped == null) {
                        mapped = keepUnmatched ? v : table.getOrDefault("*", "");
                    }
                    v = mapped;
                }
                if (!v.isEmpty()) {
                    return v;
                }
            }
            return defaultValue == null ? "" : defaultValue;
        }

        @Override
        public FieldPath firstPath() {
            for (Expr s : sources) {
                if (s.firstPath() != null) {
                    return s.firstPath();
                }
            }
            return null;
        }
    }
}
