package dev.berth.platform.apiserver.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.apiserver.Caller;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Upstream's {@code plugin/pkg/auth/authorizer/rbac/rbac_test.go} {@code TestRuleMatches}: each row is one request of a
 * case and whether the case's rule allows it. Resource rows are {@code verb group resource subresource}, URL rows
 * {@code verb - url -}.
 */
class PolicyRulesTest {

    static final Caller ANYONE = new Caller("", "", List.of());

    static PolicyRule rule(String name) {
        return switch (name) {
            case "star verb, exact match other" -> resources(List.of("*"), List.of("group1"), "resource1");
            case "star group, exact match other" -> resources(List.of("verb1"), List.of("*"), "resource1");
            case "star resource, exact match other" -> resources(List.of("verb1"), List.of("group1"), "*");
            case "tuple expansion" -> resources(List.of("verb1", "verb2"), List.of("group1", "group2"), "resource1", "resource2");
            case "subresource expansion" -> resources(List.of("*"), List.of("*"), "resource1/subresource1");
            case "star nonresource, exact match other" -> urls(List.of("verb1"), "*");
            case "star nonresource subpath" -> urls(List.of("verb1"), "/foo/*");
            case "star verb, exact nonresource" -> urls(List.of("*"), "/foo", "/foo/bar/one");
            case "star subresource, any resource status" -> resources(List.of("get"), List.of(""), "*/status");
            case "resourceNames" -> new PolicyRuleBuilder().withVerbs("get").withApiGroups("").withResources("configmaps")
                    .withResourceNames("settings").build();
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "{0}: {1} {2} {3} {4} -> {5}")
    @CsvSource(nullValues = "-", value = {
            "'star verb, exact match other',          verb1, group1, resource1, -, true",
            "'star verb, exact match other',          verb1, group2, resource1, -, false",
            "'star verb, exact match other',          verb1, group1, resource2, -, false",
            "'star verb, exact match other',          verb1, group2, resource2, -, false",
            "'star verb, exact match other',          verb2, group1, resource1, -, true",
            "'star verb, exact match other',          verb2, group2, resource1, -, false",
            "'star verb, exact match other',          verb2, group1, resource2, -, false",
            "'star verb, exact match other',          verb2, group2, resource2, -, false",
            "'star group, exact match other',         verb1, group1, resource1, -, true",
            "'star group, exact match other',         verb1, group2, resource1, -, true",
            "'star group, exact match other',         verb1, group1, resource2, -, false",
            "'star group, exact match other',         verb1, group2, resource2, -, false",
            "'star group, exact match other',         verb2, group1, resource1, -, false",
            "'star group, exact match other',         verb2, group2, resource1, -, false",
            "'star group, exact match other',         verb2, group1, resource2, -, false",
            "'star group, exact match other',         verb2, group2, resource2, -, false",
            "'star resource, exact match other',      verb1, group1, resource1, -, true",
            "'star resource, exact match other',      verb1, group2, resource1, -, false",
            "'star resource, exact match other',      verb1, group1, resource2, -, true",
            "'star resource, exact match other',      verb1, group2, resource2, -, false",
            "'star resource, exact match other',      verb2, group1, resource1, -, false",
            "'star resource, exact match other',      verb2, group2, resource1, -, false",
            "'star resource, exact match other',      verb2, group1, resource2, -, false",
            "'star resource, exact match other',      verb2, group2, resource2, -, false",
            "tuple expansion,                       verb1, group1, resource1, -, true",
            "tuple expansion,                       verb1, group2, resource1, -, true",
            "tuple expansion,                       verb1, group1, resource2, -, true",
            "tuple expansion,                       verb1, group2, resource2, -, true",
            "tuple expansion,                       verb2, group1, resource1, -, true",
            "tuple expansion,                       verb2, group2, resource1, -, true",
            "tuple expansion,                       verb2, group1, resource2, -, true",
            "tuple expansion,                       verb2, group2, resource2, -, true",
            "subresource expansion,                 verb1, group1, resource1, subresource1, true",
            "subresource expansion,                 verb1, group2, resource1, subresource2, false",
            "subresource expansion,                 verb1, group1, resource2, subresource1, false",
            "subresource expansion,                 verb1, group2, resource2, subresource1, false",
            "subresource expansion,                 verb2, group1, resource1, subresource1, true",
            "subresource expansion,                 verb2, group2, resource1, subresource2, false",
            "subresource expansion,                 verb2, group1, resource2, subresource1, false",
            "subresource expansion,                 verb2, group2, resource2, subresource1, false",
            // evaluation_helpers.go ResourceMatches: */subresource; a bare resource rule does not cover its subresources
            "'star subresource, any resource status', get, '', pods, status, true",
            "'star subresource, any resource status', get, '', deployments, status, true",
            "'star subresource, any resource status', get, '', pods, log, false",
            "'star subresource, any resource status', get, '', pods, -, false",
            "resourceNames,                         get, '', configmaps, -, false",
    })
    void resourceRequests(String rule, String verb, String group, String resource, String subresource, boolean allowed) {
        Attributes request = Attributes.resource(ANYONE, verb, "ns1", group == null ? "" : group, resource,
                subresource == null ? "" : subresource, "");
        assertThat(PolicyRules.allows(request, rule(rule))).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "resourceNames: {0} -> {1}")
    @CsvSource({"settings, true", "other, false"})
    void resourceNamesLimitTheRuleToTheNamedObjects(String name, boolean allowed) {
        assertThat(PolicyRules.allows(Attributes.resource(ANYONE, "get", "ns1", "", "configmaps", "", name), rule("resourceNames")))
                .isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0}: {1} {2} -> {3}")
    @CsvSource({
            "'star nonresource, exact match other',   verb1, /foo,          true",
            "'star nonresource, exact match other',   verb1, /foo/bar,      true",
            "'star nonresource, exact match other',   verb1, /foo/baz,      true",
            "'star nonresource, exact match other',   verb1, /foo/bar/one,  true",
            "'star nonresource, exact match other',   verb1, /foo/baz/one,  true",
            "'star nonresource, exact match other',   verb2, /foo,          false",
            "'star nonresource, exact match other',   verb2, /foo/bar,      false",
            "'star nonresource, exact match other',   verb2, /foo/baz,      false",
            "'star nonresource, exact match other',   verb2, /foo/bar/one,  false",
            "'star nonresource, exact match other',   verb2, /foo/baz/one,  false",
            "star nonresource subpath,              verb1, /foo,          false",
            "star nonresource subpath,              verb1, /foo/bar,      true",
            "star nonresource subpath,              verb1, /foo/baz,      true",
            "star nonresource subpath,              verb1, /foo/bar/one,  true",
            "star nonresource subpath,              verb1, /foo/baz/one,  true",
            "star nonresource subpath,              verb1, /notfoo,       false",
            "star nonresource subpath,              verb1, /notfoo/bar,   false",
            "star nonresource subpath,              verb1, /notfoo/baz,   false",
            "star nonresource subpath,              verb1, /notfoo/bar/one, false",
            "star nonresource subpath,              verb1, /notfoo/baz/one, false",
            "'star verb, exact nonresource',          verb1, /foo,          true",
            "'star verb, exact nonresource',          verb1, /foo/bar,      false",
            "'star verb, exact nonresource',          verb1, /foo/baz,      false",
            "'star verb, exact nonresource',          verb1, /foo/bar/one,  true",
            "'star verb, exact nonresource',          verb1, /foo/baz/one,  false",
            "'star verb, exact nonresource',          verb2, /foo,          true",
            "'star verb, exact nonresource',          verb2, /foo/bar,      false",
            "'star verb, exact nonresource',          verb2, /foo/baz,      false",
            "'star verb, exact nonresource',          verb2, /foo/bar/one,  true",
            "'star verb, exact nonresource',          verb2, /foo/baz/one,  false",
    })
    void nonResourceRequests(String rule, String verb, String url, boolean allowed) {
        assertThat(PolicyRules.allows(Attributes.nonResource(ANYONE, verb, url), rule(rule))).isEqualTo(allowed);
    }

    private static PolicyRule resources(List<String> verbs, List<String> groups, String... resources) {
        return new PolicyRuleBuilder().withVerbs(verbs).withApiGroups(groups).withResources(resources).build();
    }

    private static PolicyRule urls(List<String> verbs, String... urls) {
        return new PolicyRuleBuilder().withVerbs(verbs).withNonResourceURLs(urls).build();
    }
}
