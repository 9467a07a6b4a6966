package dev.berth.platform.model;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Label selectors as Kubernetes defines them: structured ({@code matchLabels} + {@code matchExpressions}) and
 * the string form users type ({@code app=web,tier!=db,env in (a,b),!canary,release}). Pure.
 */
public final class Labels {

    private Labels() {}

    /** Whether {@code labels} satisfy {@code selector}; a null selector matches everything, an empty one too. */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (var e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(l.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                if (!matches(r, l)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
        String value = labels.get(r.getKey());
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        return switch (r.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> labels.containsKey(r.getKey());
            case "DoesNotExist" -> !labels.containsKey(r.getKey());
            default -> false;
        };
    }

    /**
     * Parses the string form ({@code a=b}, {@code a==b}, {@code a!=b}, {@code a in (x,y)}, {@code a notin (x)},
     * {@code a}, {@code !a}, comma-separated, ANDed).
     *
     * @throws IllegalArgumentException naming the bad term
     */
    public static LabelSelector parse(String expression) {
        LabelSelector selector = new LabelSelector();
        selector.setMatchLabels(new java.util.LinkedHashMap<>());
        selector.setMatchExpressions(new ArrayList<>());
        if (expression == null || expression.isBlank()) {
            return selector;
        }
        for (String term : splitTerms(expression)) {
            String t = term.trim();
            java.util.regex.Matcher set = java.util.regex.Pattern.compile("([^\\s!=()]+)\\s+(in|notin)\\s+\\(([^)]*)\\)").matcher(t);
            if (set.matches()) {
                List<String> values = new ArrayList<>();
                for (String v : set.group(3).split(",")) {
                    if (!v.isBlank()) {
                        values.add(v.trim());
                    }
                }
                selector.getMatchExpressions().add(new LabelSelectorRequirement(set.group(1), set.group(2).equals("in") ? "In" : "NotIn", values));
            } else if (t.contains("!=")) {
                String[] kv = t.split("!=", 2);
                selector.getMatchExpressions().add(new LabelSelectorRequirement(key(kv[0], term), "NotIn", List.of(kv[1].trim())));
            } else if (t.contains("=")) {
                String[] kv = t.split("==?", 2);
                selector.getMatchLabels().put(key(kv[0], term), kv[1].trim());
            } else if (t.startsWith("!")) {
                selector.getMatchExpressions().add(new LabelSelectorRequirement(key(t.substring(1), term), "DoesNotExist", List.of()));
            } else {
                selector.getMatchExpressions().add(new LabelSelectorRequirement(key(t, term), "Exists", List.of()));
            }
        }
        return selector;
    }

    private static String key(String raw, String term) {
        String k = raw.trim();
        if (k.isEmpty() || !k.matches("[A-Za-z0-9./_-]+")) {
            throw new IllegalArgumentException("invalid label selector term '" + term.trim() + "'");
        }
        return k;
    }

    private static List<String> splitTerms(String expression) {
        List<String> terms = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : expression.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                terms.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        terms.add(current.toString());
        return terms;
    }

    /** Selector {@code matchLabels} keys a pod template must carry (used to check selector ⊆ labels). */
    public static Set<String> keys(LabelSelector selector) {
        return selector == null || selector.getMatchLabels() == null ? Set.of() : selector.getMatchLabels().keySet();
    }

    /**
     * The selector as a string, as {@code metav1.LabelSelectorAsSelector(s).String()} prints it (a Scale's
     * {@code status.selector}): requirements sorted by key, {@code k=v}, {@code k in (a,b)}, {@code k notin (a)},
     * {@code k}, {@code !k}; empty for no selector.
     */
    public static String format(LabelSelector selector) {
        if (selector == null) {
            return "";
        }
        java.util.TreeMap<String, List<String>> byKey = new java.util.TreeMap<>();
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((k, v) -> byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(k + "=" + v));
        }
        if (selector.getMatchExpressions() != null) {
            for (var e : selector.getMatchExpressions()) {
                List<String> values = e.getValues() == null ? List.of() : e.getValues().stream().sorted().toList();
                String term = switch (e.getOperator()) {
                    case "In" -> e.getKey() + " in (" + String.join(",", values) + ")";
                    case "NotIn" -> e.getKey() + " notin (" + String.join(",", values) + ")";
                    case "Exists" -> e.getKey();
                    case "DoesNotExist" -> "!" + e.getKey();
                    default -> throw new IllegalArgumentException("unknown operator " + e.getOperator());
                };
                byKey.computeIfAbsent(e.getKey(), x -> new ArrayList<>()).add(term);
            }
        }
        return byKey.values().stream().flatMap(List::stream).collect(java.util.stream.Collectors.joining(","));
    }
}
