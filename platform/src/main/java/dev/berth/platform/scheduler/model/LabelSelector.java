package dev.berth.platform.scheduler.model;

import java.util.List;
import java.util.Map;

/**
 * A Kubernetes label selector: every {@code matchLabels} entry and every {@code matchExpressions}
 * requirement must hold. An empty selector matches every label set.
 */
public record LabelSelector(Map<String, String> matchLabels, List<SelectorRequirement> matchExpressions) {

    public LabelSelector {
        matchLabels = matchLabels == null ? Map.of() : Map.copyOf(matchLabels);
        matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
        for (SelectorRequirement requirement : matchExpressions) {
            if (requirement.operator() == SelectorOperator.GT || requirement.operator() == SelectorOperator.LT) {
                throw new IllegalArgumentException("label selectors do not support " + requirement.operator().kubernetesName());
            }
        }
    }

    public static LabelSelector matchLabels(Map<String, String> labels) {
        return new LabelSelector(labels, List.of());
    }

    public boolean matches(Map<String, String> labels) {
        for (Map.Entry<String, String> wanted : matchLabels.entrySet()) {
            if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
                return false;
            }
        }
        for (int i = 0; i < matchExpressions.size(); i++) {
            SelectorRequirement requirement = matchExpressions.get(i);
            if (!requirement.matchesValue(labels.get(requirement.key()))) {
                return false;
            }
        }
        return true;
    }
}
