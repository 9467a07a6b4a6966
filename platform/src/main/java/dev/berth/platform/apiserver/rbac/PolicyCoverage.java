package dev.berth.platform.apiserver.rbac;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Whether rules an owner holds cover rules it wants to grant: upstream's {@code Covers} ({@code BreakdownRule} into
 * one verb × group × resource × name, or one verb × URL, each covered by one owner rule) from
 * {@code pkg/registry/rbac/validation/policy_comparator.go} and {@code rule.go}. Pure.
 */
final class PolicyCoverage {

    private PolicyCoverage() {}

    /** The broken-down servant rules no owner rule covers (empty: covered). */
    static List<PolicyRule> uncovered(List<PolicyRule> owner, List<PolicyRule> servant) {
        List<PolicyRule> missing = new ArrayList<>();
        for (PolicyRule rule : servant) {
            for (PolicyRule sub : breakdown(rule)) {
                if (owner.stream().noneMatch(o -> covers(o, sub))) {
                    missing.add(sub);
                }
            }
        }
        return missing;
    }

    static List<PolicyRule> breakdown(PolicyRule rule) {
        List<PolicyRule> subrules = new ArrayList<>();
        for (String group : list(rule.getApiGroups())) {
            for (String resource : list(rule.getResources())) {
                for (String verb : list(rule.getVerbs())) {
                    if (list(rule.getResourceNames()).isEmpty()) {
                        subrules.add(new PolicyRuleBuilder().withApiGroups(group).withResources(resource).withVerbs(verb).build());
                    }
                    for (String name : list(rule.getResourceNames())) {
                        subrules.add(new PolicyRuleBuilder().withApiGroups(group).withResources(resource).withResourceNames(name).withVerbs(verb)
                                .build());
                    }
                }
            }
        }
        for (String url : list(rule.getNonResourceURLs())) {
            for (String verb : list(rule.getVerbs())) {
                subrules.add(new PolicyRuleBuilder().withNonResourceURLs(url).withVerbs(verb).build());
            }
        }
        return subrules;
    }

    /** {@code ruleCovers}: one owner rule covers one broken-down rule. */
    static boolean covers(PolicyRule owner, PolicyRule sub) {
        boolean verbs = has(owner.getVerbs(), sub.getVerbs());
        boolean groups = has(owner.getApiGroups(), sub.getApiGroups());
        boolean resources = sub.getResources() == null || sub.getResources().isEmpty()
                || sub.getResources().stream().allMatch(r -> resourceCovers(list(owner.getResources()), r));
        boolean urls = sub.getNonResourceURLs() == null || sub.getNonResourceURLs().stream().allMatch(u -> urlCovers(list(owner.getNonResourceURLs()), u));
        boolean names = list(owner.getResourceNames()).isEmpty()
                || (!list(sub.getResourceNames()).isEmpty() && list(owner.getResourceNames()).containsAll(list(sub.getResourceNames())));
        return verbs && groups && resources && urls && names;
    }

    private static boolean has(List<String> owner, List<String> wanted) {
        List<String> o = list(owner);
        return o.contains(PolicyRules.ALL) || o.containsAll(list(wanted));
    }

    private static boolean resourceCovers(List<String> owner, String resource) {
        if (owner.contains(PolicyRules.ALL) || owner.contains(resource)) {
            return true;
        }
        int slash = resource.indexOf('/');
        return slash > 0 && owner.contains("*" + resource.substring(slash));
    }

    private static boolean urlCovers(List<String> owner, String url) {
        return owner.stream().anyMatch(o -> o.equals(url) || o.equals(PolicyRules.ALL)
                || (o.endsWith("*") && url.startsWith(o.substring(0, o.length() - 1))));
    }

    /** {@code CompactString}: {@code {APIGroups:["apps"], Resources:["deployments"], Verbs:["get"]}}. */
    static String compact(PolicyRule r) {
        List<String> parts = new ArrayList<>();
        add(parts, "APIGroups", r.getApiGroups());
        add(parts, "Resources", r.getResources());
        add(parts, "NonResourceURLs", r.getNonResourceURLs());
        add(parts, "ResourceNames", r.getResourceNames());
        add(parts, "Verbs", r.getVerbs());
        return "{" + String.join(", ", parts) + "}";
    }

    private static void add(List<String> parts, String name, List<String> values) {
        if (values != null && !values.isEmpty()) {
            parts.add(name + ":" + values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(" ", "[", "]")));
        }
    }

    private static List<String> list(List<String> values) {
        return values == null ? List.of() : values;
    }
}
