package dev.berth.platform.api.manifest;

import dev.berth.platform.model.NameFormat;
import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Optional;

/**
 * How long an applied object's name may be, so that every name the core derives from it is still a name the store
 * can hold. The store keeps each object in {@code <name>.json} and file names are at most 255 bytes, so a stored
 * name has {@value #STORE_NAME} characters at most; Kubernetes' own formats ({@link NameFormat}) allow 253.
 * Derived names, longest first:
 * <ul>
 *   <li>Events about any object: {@code <object>.<16 hex digits>} (the EventRecorder), so {@value #EVENT_SUFFIX}
 *       characters more than their object;</li>
 *   <li>a Deployment's ReplicaSets: {@code <deployment>-<pod-template-hash>}, the hash at most 7 characters (a
 *       32-bit FNV hash in a 27-letter alphabet); their pods add {@code -<5 random letters>}; Events about those
 *       pods add 17 more: {@value #DEPLOYMENT_NAME} characters are left for the Deployment;</li>
 *   <li>a StatefulSet's pods: {@code <set>-<ordinal>}, and the pod's name is also the value of its
 *       {@code statefulset.kubernetes.io/pod-name} label, which Kubernetes limits to 63 characters.</li>
 * </ul>
 * Kubernetes itself truncates generated pod names to 63 characters; Berth refuses at apply instead, so nothing
 * is left half-created. Pure; thread-safe.
 */
final class ObjectNames {

    static final int STORE_NAME = 250;
    static final int EVENT_SUFFIX = 1 + 16;
    static final int REPLICASET_SUFFIX = 1 + 7;
    static final int POD_SUFFIX = 1 + 5;
    static final int APPLIED_NAME = STORE_NAME - EVENT_SUFFIX;
    static final int DEPLOYMENT_NAME = STORE_NAME - REPLICASET_SUFFIX - POD_SUFFIX - EVENT_SUFFIX;
    private static final int LABEL_VALUE = 63;

    private ObjectNames() {}

    /** What is wrong with {@code o}'s name for its kind, or empty. */
    static Optional<String> problem(HasMetadata o, int maxReplicas) {
        String name = o.getMetadata().getName();
        Optional<ResourceKind> kind = ResourceKind.of(o);
        Optional<String> format = kind.map(ResourceKind::nameFormat).orElse(NameFormat.DNS1123_SUBDOMAIN).problem(name);
        if (format.isPresent()) {
            return format;
        }
        int max = kind.map(k -> maxLength(k, maxReplicas)).orElse(APPLIED_NAME);
        if (name.length() > max) {
            return Optional.of("must be no more than " + max + " characters: " + reason(kind.orElse(null)));
        }
        return Optional.empty();
    }

    static int maxLength(ResourceKind kind, int maxReplicas) {
        return switch (kind) {
            case DEPLOYMENT -> DEPLOYMENT_NAME;
            case STATEFULSET -> LABEL_VALUE - 1 - String.valueOf(Math.max(0, maxReplicas - 1)).length();
            default -> Math.min(kind.nameFormat().maxLength(), APPLIED_NAME);
        };
    }

    private static String reason(ResourceKind kind) {
        if (kind == ResourceKind.DEPLOYMENT) {
            return "the names of its ReplicaSets (+8), their pods (+6) and Events about them (+17) must fit the store's "
                    + STORE_NAME + "-character file names";
        }
        if (kind == ResourceKind.STATEFULSET) {
            return "its pods are named <name>-<ordinal>, and a pod's name is its statefulset.kubernetes.io/pod-name label, "
                    + "at most " + LABEL_VALUE + " characters";
        }
        return "Events about it are named <name>.<16 hex digits> and must fit the store's " + STORE_NAME + "-character file names";
    }
}
