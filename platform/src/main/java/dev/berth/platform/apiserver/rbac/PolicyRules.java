package dev.berth.platform.apiserver.rbac;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;

/**
 * Whether one RBAC rule allows a request: upstream's {@code RuleAllows} and the matchers of
 * {@code pkg/apis/rbac/v1/evaluation_helpers.go}. {@code *} matches any verb, group, resource and URL; a rule resource
 * made of {@code *}, a slash and a subresource matches that subresource of any resource; a URL ending in {@code *} matches by prefix; empty
 * resourceNames match any name. Pure; thread-safe.
 */
public final class PolicyRules {

    static final String ALL = "*";

    private PolicyRules() {}

    public static boolean allows(Attributes request, PolicyRule rule) {
        if (request.resourceRequest()) {
            String combined = request.subresource().isEmpty() ? request.resource() : request.resource() + "/" + request.subresource();
            return verbMatches(rule, request.verb()) && apiGroupMatches(rule, request.apiGroup())
                    && resourceMatches(rule, combined, request.subresource()) && resourceNameMatches(rule, request.name());
        }
        return verbMatches(rule, request.verb()) && nonResourceURLMatches(rule, request.path());
    }

    static boolean verbMatches(PolicyRule rule, String verb) {
        return list(rule.getVerbs()).stream().anyMatch(v -> v.equals(ALL) || v.equals(verb));
    }

    static boolean apiGroupMatches(PolicyRule rule, String group) {
        return list(rule.getApiGroups()).stream().anyMatch(g -> g.equals(ALL) || g.equals(group));
    }

    /** @param combined {@code resource} or {@code resource/subresource} */
    static boolean resourceMatches(PolicyRule rule, String combined, String subresource) {
        for (String r : list(rule.getResources())) {
            if (r.equals(ALL) || r.equals(combined)) {
                return true;
            }
            if (!subresource.isEmpty() && r.length() == subresource.length() + 2 && r.startsWith("*/") && r.endsWith(subresource)) {
                return true;
            }
        }
        return false;
    }

    static boolean resourceNameMatches(PolicyRule rule, String name) {
        List<String> names = list(rule.getResourceNames());
        return names.isEmpty() || names.contains(name);
    }

    static boolean nonResourceURLMatches(PolicyRule rule, String url) {
        for (String u : list(rule.getNonResourceURLs())) {
            if (u.equals(ALL) || u.equals(url) || (u.endsWith("*") && url.startsWith(u.replaceAll("\\*+$", "")))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> list(List<String> values) {
        return values == null ? List.of() : values;
    }
}
