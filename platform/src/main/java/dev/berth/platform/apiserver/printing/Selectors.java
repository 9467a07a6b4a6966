package dev.berth.platform.apiserver.printing;

import static dev.berth.platform.apiserver.printing.Cells.list;
import static dev.berth.platform.apiserver.printing.Cells.map;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A structured label selector in the string form apimachinery prints ({@code metav1.LabelSelectorAsSelector(s).String()}):
 * requirements sorted by key, {@code k=v}, {@code k in (a,b)}, {@code k notin (a)}, {@code k}, {@code !k}. Pure.
 */
final class Selectors {

    private record Requirement(String key, String text) {}

    private Selectors() {}

    /**
     * The selector's string, empty for a null or empty selector (apimachinery's Nothing and Everything both print
     * ""), or empty Optional when apimachinery would refuse it (unknown operator, values where none belong or none
     * where they do).
     */
    static Optional<String> string(LabelSelector selector) {
        if (selector == null) {
            return Optional.of("");
        }
        List<Requirement> requirements = new ArrayList<>();
        for (Map.Entry<String, String> e : map(selector.getMatchLabels()).entrySet()) {
            requirements.add(new Requirement(e.getKey(), e.getKey() + "=" + e.getValue()));
        }
        for (LabelSelectorRequirement r : list(selector.getMatchExpressions())) {
            List<String> values = list(r.getValues());
            String key = Cells.str(r.getKey());
            String op = Cells.str(r.getOperator());
            switch (op) {
                case "In", "NotIn" -> {
                    if (values.isEmpty()) {
                        return Optional.empty();
                    }
                    String vs = values.size() == 1 ? values.get(0) : values.stream().sorted().collect(Collectors.joining(","));
                    requirements.add(new Requirement(key, key + (op.equals("In") ? " in (" : " notin (") + vs + ")"));
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) {
                        return Optional.empty();
                    }
                    requirements.add(new Requirement(key, op.equals("Exists") ? key : "!" + key));
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(requirements.stream().sorted(Comparator.comparing(Requirement::key)).map(Requirement::text)
                .collect(Collectors.joining(",")));
    }

    /** {@code metav1.FormatLabelSelector}: the string, {@code <none>} when empty, {@code <error>} when refused. */
    static String format(LabelSelector selector) {
        return string(selector).map(Cells::orNone).orElse("<error>");
    }
}
