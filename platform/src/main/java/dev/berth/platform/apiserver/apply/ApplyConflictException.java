package dev.berth.platform.apiserver.apply;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * An apply that would change fields other managers own, without {@code force}: upstream's {@code merge.Conflicts}
 * worded as {@code fieldmanager.NewConflictError} words it, answered 409 with one cause per conflict.
 */
public final class ApplyConflictException extends RuntimeException {

    /** One field another manager owns: the manager as upstream prints it and the field's path. */
    public record Conflict(String manager, FieldPath path) {
        /** The path as upstream prints it: {@code .spec.replicas}. */
        public String field() {
            return path.toString();
        }

        /** The cause's message: {@code conflict with "kubectl" using apps/v1}. */
        public String message() {
            return "conflict with " + manager;
        }
    }

    private final transient List<Conflict> conflicts;

    ApplyConflictException(List<Conflict> conflicts) {
        super(message(conflicts), null, false, false);
        this.conflicts = List.copyOf(conflicts);
    }

    public List<Conflict> conflicts() {
        return conflicts;
    }

    private static String message(List<Conflict> conflicts) {
        if (conflicts.size() == 1) {
            return "Apply failed with 1 conflict: conflict with " + conflicts.get(0).manager() + ": " + conflicts.get(0).field();
        }
        Map<String, List<String>> byManager = new TreeMap<>();
        conflicts.forEach(c -> byManager.computeIfAbsent(c.manager(), m -> new java.util.ArrayList<>()).add(c.field()));
        String lines = byManager.entrySet().stream()
                .map(e -> "conflicts with " + e.getKey() + ":\n" + e.getValue().stream().map(f -> "- " + f).collect(Collectors.joining("\n")))
                .collect(Collectors.joining("\n"));
        return "Apply failed with " + conflicts.size() + " conflicts: " + lines;
    }
}
