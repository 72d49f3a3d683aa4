package org.orderly.hl7.mapping;

import java.util.List;
import java.util.stream.Collectors;

/** A mapping file (or directory) was rejected; every problem found is listed. */
public final class MappingLoadException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<MappingProblem> problems;

    public MappingLoadException(List<MappingProblem> problems) {
        super(problems.stream().map(MappingProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<MappingProblem> problems() {
        return problems;
    }
}
