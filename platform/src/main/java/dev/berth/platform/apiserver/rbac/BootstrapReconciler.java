package dev.berth.platform.apiserver.rbac;

import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Upstream's {@code rbac/bootstrap-roles} post-start hook over the store: each {@link BootstrapPolicy} object that is
 * missing is created; one that exists is reconciled unless its {@code rbac.authorization.kubernetes.io/autoupdate}
 * annotation is {@code "false"} — as upstream's reconciliation with extra permissions kept: the expected labels and
 * annotations are added, rules the role lacks are appended (rules are compared whole, not by coverage), subjects a
 * binding lacks are added, and a binding to another role is pointed back at the expected one. Idempotent: a store
 * already reconciled is not written.
 */
public final class BootstrapReconciler {

    private static final Logger LOG = Logger.getLogger(BootstrapReconciler.class);

    private BootstrapReconciler() {}

    /** @return the names of the objects created or changed */
    public static List<String> reconcile(ObjectStore store) {
        List<String> changed = new ArrayList<>();
        BootstrapPolicy.clusterRoles().values().forEach(role -> reconcile(store, ResourceKind.CLUSTER_ROLE, role, changed,
                (ClusterRole current) -> {
                    List<PolicyRule> rules = new ArrayList<>(current.getRules() == null ? List.of() : current.getRules());
                    role.getRules().stream().filter(r -> !rules.contains(r)).forEach(rules::add);
                    current.setRules(rules);
                    return current;
                }));
        BootstrapPolicy.clusterRoleBindings().values().forEach(binding -> reconcile(store, ResourceKind.CLUSTER_ROLE_BINDING, binding, changed,
                (ClusterRoleBinding current) -> {
                    List<Subject> subjects = new ArrayList<>(current.getSubjects() == null ? List.of() : current.getSubjects());
                    binding.getSubjects().stream().filter(s -> !subjects.contains(s)).forEach(subjects::add);
                    current.setSubjects(subjects);
                    current.setRoleRef(binding.getRoleRef());
                    return current;
                }));
        if (!changed.isEmpty()) {
            LOG.infof("RBAC bootstrap policy: created or reconciled %s", changed);
        }
        return changed;
    }

    private interface Merge<T> {
        T into(T current);
    }

    private static <T extends HasMetadata> void reconcile(ObjectStore store, ResourceKind kind, T expected, List<String> changed, Merge<T> merge) {
        ObjectKey key = new ObjectKey(kind, "", expected.getMetadata().getName());
        var existing = store.<T>get(key);
        if (existing.isEmpty()) {
            store.create(expected);
            changed.add(kind.plural() + "/" + key.name());
            return;
        }
        ObjectMeta meta = existing.get().getMetadata();
        if ("false".equals(meta.getAnnotations() == null ? null : meta.getAnnotations().get(BootstrapPolicy.AUTOUPDATE_ANNOTATION))) {
            return; // protected by its owner, as upstream leaves it
        }
        T after = store.mutate(key, (T current) -> {
            current.getMetadata().setLabels(merged(current.getMetadata().getLabels(), expected.getMetadata().getLabels()));
            current.getMetadata().setAnnotations(merged(current.getMetadata().getAnnotations(), expected.getMetadata().getAnnotations()));
            return merge.into(current);
        });
        if (!after.getMetadata().getResourceVersion().equals(existing.get().getMetadata().getResourceVersion())) {
            changed.add(kind.plural() + "/" + key.name());
        }
    }

    private static Map<String, String> merged(Map<String, String> current, Map<String, String> expected) {
        Map<String, String> all = new LinkedHashMap<>(current == null ? Map.of() : current);
        all.putAll(expected);
        return all;
    }
}
