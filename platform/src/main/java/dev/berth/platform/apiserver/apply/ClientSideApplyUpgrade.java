package dev.berth.platform.apiserver.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * kube-apiserver's {@code lastAppliedManager} ({@code k8s.io/apimachinery/pkg/util/managedfields/internal/
 * lastappliedmanager.go}): {@code kubectl apply --server-side} after {@code kubectl apply} takes over, without
 * {@code --force-conflicts}, the fields its client-side applies set — those of the live object's
 * {@code kubectl.kubernetes.io/last-applied-configuration} that still hold the values it gives them. Only the
 * manager {@code kubectl} upgrades (any other name opts out), only when the annotation is there, parses, and names
 * the apply's apiVersion and the object's kind; a conflict on any other field is still one, reported alone. Which
 * manager owns a conflicting field does not matter, as upstream. Pure.
 */
final class ClientSideApplyUpgrade {

    /** The field manager kubectl applies server-side as, and the only one whose applies upgrade. */
    static final String KUBECTL = "kubectl";

    private ClientSideApplyUpgrade() {}

    /**
     * The conflicts of a non-forced apply by {@link #KUBECTL} that its client-side applies do not explain.
     *
     * @param live the stored object the apply conflicted on
     * @param apiVersion the apply's apiVersion
     * @return {@code conflicts} without those on fields the last-applied configuration set as the live object has
     *         them; all of them when that configuration cannot be read. Empty: the apply may be forced.
     */
    static List<ApplyConflictException.Conflict> unexplained(List<ApplyConflictException.Conflict> conflicts, ObjectNode live,
            String apiVersion, ApplySchema.Type type) {
        Optional<FieldSet> allowed = clientSideFields(live, apiVersion, type);
        if (allowed.isEmpty()) {
            return conflicts;
        }
        return conflicts.stream().filter(c -> !allowed.get().has(c.path())).toList();
    }

    /**
     * upstream's {@code allowedConflictsFromLastApplied}: the fields of the last-applied configuration, less those
     * the live object has with another value, has not, or has and the configuration has not.
     */
    static Optional<FieldSet> clientSideFields(ObjectNode live, String apiVersion, ApplySchema.Type type) {
        JsonNode annotation = live == null ? null : live.path("metadata").path("annotations").get(FieldManager.LAST_APPLIED);
        if (annotation == null || !annotation.isTextual() || annotation.asText().isEmpty()) {
            return Optional.empty();
        }
        JsonNode lastApplied;
        try {
            lastApplied = FieldManager.json().readTree(annotation.asText());
        } catch (IOException e) {
            return Optional.empty();
        }
        if (lastApplied == null || !lastApplied.isObject() || !apiVersion.equals(lastApplied.path("apiVersion").asText())
                || !live.path("kind").asText().equals(lastApplied.path("kind").asText())) {
            return Optional.empty();
        }
        ObjectNode liveObject = live.deepCopy();
        if (liveObject.get("metadata") instanceof ObjectNode meta) {
            meta.remove("managedFields");
        }
        try {
            TypedObjects.Comparison c = TypedObjects.compare(lastApplied, liveObject, type);
            return Optional.of(TypedObjects.fieldSet(lastApplied, type).difference(c.modified()).difference(c.added()).difference(c.removed()));
        } catch (IllegalArgumentException notTyped) {
            return Optional.empty(); // upstream's typing refuses it (a list item without its key): nothing to upgrade
        }
    }
}
