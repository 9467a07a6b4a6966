package dev.berth.platform.scheduler.model;

import java.util.List;
import java.util.Map;

/**
 * One term of a required node affinity: all its requirements must hold (AND). Terms of an affinity are
 * ORed. {@code matchFields} may only name {@code metadata.name}. A term without requirements matches
 * no node, as in Kubernetes.
 */
public record NodeSelectorTerm(List<SelectorRequirement> matchExpressions, List<SelectorRequirement> matchFields) {

    public static final String FIELD_NODE_NAME = "metadata.name";

    public NodeSelectorTerm {
        matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
        matchFields = matchFields == null ? List.of() : List.copyOf(matchFields);
        for (SelectorRequirement field : matchFields) {
            if (!FIELD_NODE_NAME.equals(field.key())) {
                throw new IllegalArgumentException("unsupported node field selector: " + field.key());
            }
        }
    }

    public static NodeSelectorTerm of(SelectorRequirement... matchExpressions) {
        return new NodeSelectorTerm(List.of(matchExpressions), List.of());
    }

    public boolean matches(String nodeName, Map<String, String> nodeLabels) {
        if (matchExpressions.isEmpty() && matchFields.isEmpty()) {
            return false;
        }
        for (int i = 0; i < matchExpressions.size(); i++) {
            SelectorRequirement requirement = matchExpressions.get(i);
            if (!requirement.matchesValue(nodeLabels.get(requirement.key()))) {
                return false;
            }
        }
        for (int i = 0; i < matchFields.size(); i++) {
            if (!matchFields.get(i).matchesValue(nodeName)) {
                return false;
            }
        }
        return true;
    }
}
