package dev.berth.platform.apiserver.printing;

import static dev.berth.platform.apiserver.printing.Printed.almostNow;
import static dev.berth.platform.apiserver.printing.Printed.created;
import static dev.berth.platform.apiserver.printing.Printed.narrow;
import static dev.berth.platform.apiserver.printing.Printed.wide;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** upstream's TestPrintRoleBinding and TestPrintClusterRoleBinding table cases (printers_test.go). */
class RbacTablesTest {

    private static final RoleRef AUTH_READER = new RoleRef("rbac.authorization.k8s.io", "Role", "extension-apiserver-authentication-reader");
    private static final RoleRef ROLE_NAME = new RoleRef("rbac.authorization.k8s.io", "Role", "role-name");
    private static final Subject CONTROLLER_MANAGER = subject("User", "system:kube-controller-manager", null);
    private static final List<Subject> EVERY_KIND = List.of(subject("User", "user-name", null), subject("Group", "group-name", null),
            subject("ServiceAccount", "service-account-name", "service-account-namespace"));

    static Stream<Arguments> binding() {
        return Stream.of(
                arguments("TestPrintRoleBinding: basic role binding", RbacTables.ROLE_BINDING, false,
                        new RoleBindingBuilder().withMetadata(created("binding1", almostNow())).withSubjects(CONTROLLER_MANAGER).withRoleRef(AUTH_READER)
                                .build(),
                        List.of("binding1", "Role/extension-apiserver-authentication-reader", "0s")),
                arguments("TestPrintRoleBinding: generate options=Wide; print subject and roles", RbacTables.ROLE_BINDING, true,
                        new RoleBindingBuilder().withMetadata(created("binding2", almostNow())).withSubjects(EVERY_KIND).withRoleRef(ROLE_NAME).build(),
                        List.of("binding2", "Role/role-name", "0s", "user-name", "group-name", "service-account-namespace/service-account-name")),
                arguments("TestPrintClusterRoleBinding: basic cluster role binding", RbacTables.CLUSTER_ROLE_BINDING, false,
                        new ClusterRoleBindingBuilder().withMetadata(created("binding1", almostNow())).withSubjects(CONTROLLER_MANAGER)
                                .withRoleRef(AUTH_READER).build(),
                        List.of("binding1", "Role/extension-apiserver-authentication-reader", "0s")),
                arguments("TestPrintClusterRoleBinding: generate options=Wide; print subject and roles", RbacTables.CLUSTER_ROLE_BINDING, true,
                        new ClusterRoleBindingBuilder().withMetadata(created("binding2", almostNow())).withSubjects(EVERY_KIND).withRoleRef(ROLE_NAME)
                                .build(),
                        List.of("binding2", "Role/role-name", "0s", "user-name", "group-name", "service-account-namespace/service-account-name")),
                arguments("rbac.SubjectsStrings: several of a kind joined with \", \", other kinds left out", RbacTables.CLUSTER_ROLE_BINDING, true,
                        new ClusterRoleBindingBuilder().withMetadata(created("admins", almostNow()))
                                .withSubjects(subject("User", "alice", null), subject("User", "bob", null), subject("Robot", "r2", "ns"))
                                .withRoleRef(new RoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")).build(),
                        List.of("admins", "ClusterRole/cluster-admin", "0s", "alice, bob", "", "")),
                arguments("TestTableRowDeepCopyShouldNotPanic: RoleBinding", RbacTables.ROLE_BINDING, true, new RoleBinding(),
                        List.of("", "/", "<unknown>", "", "", "")),
                arguments("TestTableRowDeepCopyShouldNotPanic: ClusterRoleBinding", RbacTables.CLUSTER_ROLE_BINDING, true, new ClusterRoleBinding(),
                        List.of("", "/", "<unknown>", "", "", "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void binding(String upstreamCase, KindTable<?> table, boolean wide, HasMetadata binding, List<Object> cells) {
        assertThat(wide ? wide(table, binding) : narrow(table, binding)).containsExactlyElementsOf(cells);
    }

    private static Subject subject(String kind, String name, String namespace) {
        return new SubjectBuilder().withKind(kind).withName(name).withNamespace(namespace).build();
    }
}
