package dev.berth.platform.apiserver.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.apiserver.ApiException;
import dev.berth.platform.apiserver.Caller;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRefBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Escalation prevention with the bootstrap roles: a namespace admin ({@code admin} bound in ns1) writes roles and
 * bindings with what it holds, not more; {@code bind} on a role lets one bind it; {@code system:masters} is never
 * checked. Covers rows after upstream's {@code policy_comparator_test.go}.
 */
class EscalationTest {

    static final Caller ALICE = Caller.authenticated("alice", "", List.of());

    Escalation escalation() {
        StaticRbacObjects objects = BootstrapPolicyTest.objects().roleBinding("ns1", "ClusterRole", "admin", "User:alice")
                .clusterRole("bind-view", new PolicyRuleBuilder().withVerbs("bind").withApiGroups("rbac.authorization.k8s.io")
                        .withResources("clusterroles").withResourceNames("view").build())
                .roleBinding("ns2", "ClusterRole", "bind-view", "User:alice")
                .roleBinding("ns2", "ClusterRole", "admin", "User:alice");
        return new Escalation(new RbacAuthorizer(objects));
    }

    @ParameterizedTest(name = "binding {1} in {0} -> {2}")
    @CsvSource({
            "ns1, edit,          true",
            "ns1, admin,         true",
            "ns1, view,          true",
            "ns1, cluster-admin, false",
            "ns3, view,          false",
    })
    void aNamespaceAdminBindsWhatItHolds(String namespace, String clusterRole, boolean allowed) {
        RoleBinding binding = new RoleBinding();
        binding.setMetadata(new ObjectMetaBuilder().withName("b").build());
        binding.setRoleRef(new RoleRefBuilder().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(clusterRole).build());

        if (allowed) {
            assertThatCode(() -> escalation().check(ALICE, binding, namespace)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> escalation().check(ALICE, binding, namespace)).isInstanceOfSatisfying(ApiException.class,
                    e -> assertThat(e.code()).isEqualTo(403));
        }
    }

    @Test
    void aRoleWithMoreThanItsAuthorHoldsIsRefusedNamingWhatIsMissing() {
        Role role = role(rule("get", "", "secrets"), rule("delete,get", "", "nodes"));

        assertThatThrownBy(() -> escalation().check(ALICE, role, "ns1")).hasMessage(
                "roles.rbac.authorization.k8s.io \"r\" is forbidden: user \"alice\" (groups=[\"system:authenticated\"]) is attempting to grant "
                        + "RBAC permissions not currently held:\n{APIGroups:[\"\"], Resources:[\"nodes\"], Verbs:[\"delete\"]}\n"
                        + "{APIGroups:[\"\"], Resources:[\"nodes\"], Verbs:[\"get\"]}");
        assertThatCode(() -> escalation().check(ALICE, role(rule("get", "", "secrets")), "ns1")).doesNotThrowAnyException();
        assertThatCode(() -> escalation().check(Caller.authenticated("root", "", List.of("system:masters")), role, "ns1"))
                .doesNotThrowAnyException();
    }

    @Test
    void bindOnARoleLetsOneBindItWithoutHoldingIt() {
        RoleBinding binding = new RoleBinding();
        binding.setMetadata(new ObjectMetaBuilder().withName("b").build());
        binding.setRoleRef(new RoleRefBuilder().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("view").build());
        Caller bob = Caller.authenticated("bob", "", List.of());
        StaticRbacObjects objects = BootstrapPolicyTest.objects()
                .clusterRole("bind-view", new PolicyRuleBuilder().withVerbs("bind").withApiGroups("rbac.authorization.k8s.io")
                        .withResources("clusterroles").withResourceNames("view").build())
                .roleBinding("ns2", "ClusterRole", "bind-view", "User:bob");

        assertThatCode(() -> new Escalation(new RbacAuthorizer(objects)).check(bob, binding, "ns2")).doesNotThrowAnyException();
        assertThatThrownBy(() -> new Escalation(new RbacAuthorizer(objects)).check(bob, binding, "ns1")).isInstanceOf(ApiException.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "exact match                    | get,list | '' | pods        | get,list | '' | pods              | true",
            "star verb                      | *        | '' | pods        | delete   | '' | pods              | true",
            "star resource                  | get      | '' | *           | get      | '' | pods,secrets      | true",
            "star subresource               | get      | '' | */status    | get      | '' | pods/status       | true",
            "resource does not cover its subresource | get | '' | pods  | get      | '' | pods/log          | false",
            "missing verb                   | get      | '' | pods        | get,list | '' | pods              | false",
            "other group                    | get      | apps | deployments | get    | '' | deployments       | false",
    })
    void covers(String name, String ownerVerbs, String ownerGroups, String ownerResources, String verbs, String groups, String resources,
            boolean covered) {
        List<PolicyRule> owner = List.of(rule(ownerVerbs, ownerGroups, ownerResources));
        List<PolicyRule> servant = List.of(new PolicyRuleBuilder().withVerbs(verbs.split(",")).withApiGroups(groups.split(",", -1))
                .withResources(resources.split(",")).build());
        assertThat(PolicyCoverage.uncovered(owner, servant).isEmpty()).isEqualTo(covered);
    }

    private static PolicyRule rule(String verbs, String groups, String resources) {
        return new PolicyRuleBuilder().withVerbs(verbs.split(",")).withApiGroups(groups.split(",", -1)).withResources(resources.split(","))
                .build();
    }

    private static Role role(PolicyRule... rules) {
        Role role = new Role();
        role.setMetadata(new ObjectMetaBuilder().withName("r").build());
        role.setRules(List.of(rules));
        return role;
    }
}
