package dev.berth.platform.apiserver.rbac;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRefBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Roles and bindings from lists, as upstream's {@code StaticRoles} test resolver, with its helpers: subjects are
 * written {@code User:name}, {@code Group:name}, {@code ServiceAccount:name}.
 */
final class StaticRbacObjects implements RbacObjects {

    final List<Role> roles = new ArrayList<>();
    final List<ClusterRole> clusterRoles = new ArrayList<>();
    final List<RoleBinding> roleBindings = new ArrayList<>();
    final List<ClusterRoleBinding> clusterRoleBindings = new ArrayList<>();

    @Override
    public Optional<Role> role(String namespace, String name) {
        return roles.stream().filter(r -> r.getMetadata().getNamespace().equals(namespace) && r.getMetadata().getName().equals(name)).findFirst();
    }

    @Override
    public Optional<ClusterRole> clusterRole(String name) {
        return clusterRoles.stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst();
    }

    @Override
    public List<RoleBinding> roleBindings(String namespace) {
        return roleBindings.stream().filter(b -> b.getMetadata().getNamespace().equals(namespace)).toList();
    }

    @Override
    public List<ClusterRoleBinding> clusterRoleBindings() {
        return clusterRoleBindings;
    }

    /** {@code newRule("verbs", "groups", "resources", "urls")}: each a comma-separated list, as upstream's helper. */
    static PolicyRule newRule(String verbs, String groups, String resources, String urls) {
        return new PolicyRuleBuilder().withVerbs(split(verbs)).withApiGroups(split(groups)).withResources(split(resources))
                .withNonResourceURLs(split(urls)).build();
    }

    StaticRbacObjects clusterRole(String name, PolicyRule... rules) {
        ClusterRole r = new ClusterRole();
        r.setMetadata(new ObjectMetaBuilder().withName(name).build());
        r.setRules(List.of(rules));
        clusterRoles.add(r);
        return this;
    }

    StaticRbacObjects role(String namespace, String name, PolicyRule... rules) {
        Role r = new Role();
        r.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        r.setRules(List.of(rules));
        roles.add(r);
        return this;
    }

    StaticRbacObjects clusterRoleBinding(String roleName, String... subjects) {
        ClusterRoleBinding b = new ClusterRoleBinding();
        b.setMetadata(new ObjectMetaBuilder().withName("crb-" + clusterRoleBindings.size()).build());
        b.setRoleRef(new RoleRefBuilder().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(roleName).build());
        b.setSubjects(subjects(subjects));
        clusterRoleBindings.add(b);
        return this;
    }

    StaticRbacObjects roleBinding(String namespace, String roleKind, String roleName, String... subjects) {
        RoleBinding b = new RoleBinding();
        b.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName("rb-" + roleBindings.size()).build());
        b.setRoleRef(new RoleRefBuilder().withApiGroup("rbac.authorization.k8s.io").withKind(roleKind).withName(roleName).build());
        b.setSubjects(subjects(subjects));
        roleBindings.add(b);
        return this;
    }

    private static List<Subject> subjects(String... subjects) {
        return Arrays.stream(subjects).map(s -> {
            String[] kindName = s.split(":", 2);
            String group = kindName[0].equals("ServiceAccount") ? "" : "rbac.authorization.k8s.io";
            String[] nsName = kindName[0].equals("ServiceAccount") && kindName[1].contains("/") ? kindName[1].split("/", 2) : null;
            return new SubjectBuilder().withKind(kindName[0]).withApiGroup(group).withName(nsName == null ? kindName[1] : nsName[1])
                    .withNamespace(nsName == null ? null : nsName[0]).build();
        }).toList();
    }

    private static List<String> split(String list) {
        return List.of(list.split(",", -1));
    }
}
