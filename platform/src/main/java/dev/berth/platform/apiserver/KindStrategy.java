package dev.berth.platform.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.platform.apiserver.defaults.Defaults;
import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Set;

/**
 * What differs per kind when the API writes an object, as each kind's {@code strategy.go} in kube-apiserver: for
 * kinds with a {@code status} subresource the main resource ignores {@code status} (a create starts without one, an
 * update keeps the stored one) and the status subresource changes nothing but {@code status}. A create, an update and
 * a patch's result are first defaulted ({@link Defaults}), as kube-apiserver defaults every object it decodes.
 * Stateless.
 */
final class KindStrategy {

    private static final Set<ResourceKind> WITH_STATUS = Set.of(ResourceKind.POD, ResourceKind.DEPLOYMENT, ResourceKind.REPLICASET,
            ResourceKind.STATEFULSET, ResourceKind.NODE, ResourceKind.SERVICE, ResourceKind.NAMESPACE, ResourceKind.HORIZONTAL_POD_AUTOSCALER,
            ResourceKind.PERSISTENT_VOLUME_CLAIM);

    private final KubernetesSerialization json;

    KindStrategy(KubernetesSerialization json) {
        this.json = json;
    }

    /**
     * The object as it is stored on create: defaulted, without a status, a Pod {@code Pending} and with the service account
     * {@code default} when it names none (upstream's ServiceAccount admission plugin; the deprecated
     * {@code serviceAccount} follows, as the v1 conversion fills it). That the account exists is not checked: every
     * namespace gets its {@code default} from the serviceaccount controller, and the core authenticates pods by nothing
     * the account holds.
     */
    <T extends HasMetadata> T prepareForCreate(ResourceKind kind, T object) {
        Defaults.apply(object);
        if (!WITH_STATUS.contains(kind)) {
            return object;
        }
        ObjectNode tree = json.convertValue(object, ObjectNode.class);
        tree.remove("status");
        if (kind == ResourceKind.POD) {
            tree.putObject("status").put("phase", "Pending");
            if (tree.get("spec") instanceof ObjectNode spec) {
                String account = spec.path("serviceAccountName").asText("");
                if (account.isEmpty()) {
                    account = spec.path("serviceAccount").asText("");
                }
                if (account.isEmpty()) {
                    account = DEFAULT_SERVICE_ACCOUNT;
                }
                spec.put("serviceAccountName", account).put("serviceAccount", account);
            }
        }
        if (kind == ResourceKind.NAMESPACE) { // upstream's namespace strategy: Active, finalized by the namespace controller
            tree.putObject("status").put("phase", "Active");
            tree.putObject("spec").putArray("finalizers").add("kubernetes");
        }
        return typed(kind, tree);
    }

    /** {@code serviceaccount.DefaultServiceAccountName}. */
    static final String DEFAULT_SERVICE_ACCOUNT = "default";

    /** An update of the main resource (a PUT's body or a patch's result): defaulted, the stored status stays. */
    <T extends HasMetadata> T prepareForUpdate(ResourceKind kind, T next, HasMetadata current) {
        Defaults.apply(next);
        if (!WITH_STATUS.contains(kind)) {
            return next;
        }
        return withStatusOf(kind, next, current);
    }

    /** An update of the status subresource: everything but the status stays as stored. */
    <T extends HasMetadata> T prepareForStatusUpdate(ResourceKind kind, T next, HasMetadata current) {
        return withStatusOf(kind, current, next);
    }

    /** {@code object} with {@code statusSource}'s status (none if it has none). */
    private <T extends HasMetadata> T withStatusOf(ResourceKind kind, HasMetadata object, HasMetadata statusSource) {
        ObjectNode tree = json.convertValue(object, ObjectNode.class);
        JsonNode status = json.convertValue(statusSource, ObjectNode.class).get("status");
        tree.remove("status");
        if (status != null) {
            tree.set("status", status);
        }
        return typed(kind, tree);
    }

    @SuppressWarnings("unchecked")
    <T extends HasMetadata> T typed(ResourceKind kind, JsonNode tree) {
        return (T) json.convertValue(tree, kind.type());
    }
}
