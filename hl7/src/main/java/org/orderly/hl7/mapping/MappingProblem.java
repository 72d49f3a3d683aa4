package org.orderly.hl7.mapping;

/**
 * One problem in a mapping file, shown to the admin as {@code file:line: problem}.
 *
 * @param line 1-based; 0 when the problem concerns the file as a whole
 */
public record MappingProblem(String file, int line, String problem) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + problem;
    }
}
