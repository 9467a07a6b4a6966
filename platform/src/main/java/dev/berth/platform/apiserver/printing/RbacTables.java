package dev.berth.platform.apiserver.printing;

import static dev.berth.platform.apiserver.printing.Cells.list;
import static dev.berth.platform.apiserver.printing.Cells.str;

import dev.berth.platform.apiserver.printing.KindTable.Row;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;

/**
 * rbac.authorization.k8s.io/v1 binding tables: upstream's {@code printRoleBinding} and
 * {@code printClusterRoleBinding}. Roles and ClusterRoles have no printer upstream either: they get the default
 * Name/Created At table. Pure.
 */
final class RbacTables {

    /** {@code RoleBinding{}.SwaggerDoc()["roleRef"]}. */
    private static final String ROLEBINDING_ROLEREF =
            "RoleRef can reference a Role in the current namespace or a ClusterRole in the global "
            + "namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.";
    /** {@code ClusterRoleBinding{}.SwaggerDoc()["roleRef"]}. */
    private static final String CLUSTERROLEBINDING_ROLEREF =
            "RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be "
            + "resolved, the Authorizer must return an error.";

    static final KindTable<RoleBinding> ROLE_BINDING = new KindTable<>("rbac.authorization.k8s.io/v1", "RoleBinding", RoleBinding.class,
            columns(ROLEBINDING_ROLEREF, "roleBinding"), (b, ages) -> print(b, b.getRoleRef(), b.getSubjects(), ages));

    static final KindTable<ClusterRoleBinding> CLUSTER_ROLE_BINDING = new KindTable<>("rbac.authorization.k8s.io/v1",
            "ClusterRoleBinding", ClusterRoleBinding.class, columns(CLUSTERROLEBINDING_ROLEREF, "clusterRoleBinding"),
            (b, ages) -> print(b, b.getRoleRef(), b.getSubjects(), ages));

    private RbacTables() {}

    private static List<TableColumn> columns(String roleRefDoc, String binding) {
        return List.of(
                TableColumn.NAME,
                TableColumn.string("Role", roleRefDoc),
                TableColumn.AGE,
                TableColumn.wide("Users", "Users in the " + binding),
                TableColumn.wide("Groups", "Groups in the " + binding),
                TableColumn.wide("ServiceAccounts", "ServiceAccounts in the " + binding));
    }

    /** ROLE is {@code Kind/name}; the wide columns are {@code rbac.SubjectsStrings}, each joined with ", ". */
    private static Row print(HasMetadata binding, RoleRef roleRef, List<Subject> subjects, Ages ages) {
        RoleRef ref = roleRef == null ? new RoleRef() : roleRef;
        List<String> users = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        List<String> serviceAccounts = new ArrayList<>();
        for (Subject s : list(subjects)) {
            switch (str(s.getKind())) {
                case "ServiceAccount" -> serviceAccounts.add(str(s.getNamespace()) + "/" + str(s.getName()));
                case "User" -> users.add(str(s.getName()));
                case "Group" -> groups.add(str(s.getName()));
                default -> { } // upstream collects other kinds apart and never prints them
            }
        }
        return Row.of(Cells.name(binding), str(ref.getKind()) + "/" + str(ref.getName()), ages.created(binding), String.join(", ", users),
                String.join(", ", groups), String.join(", ", serviceAccounts));
    }
}
