package dev.berth.platform.engine;

import dev.berth.platform.api.manifest.ManifestValidator;
import dev.berth.platform.controller.RolloutHistory;
import dev.berth.platform.controller.RolloutMetrics;
import dev.berth.platform.model.Labels;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.runtime.LogFiles;
import dev.berth.platform.runtime.LogOptions;
import dev.berth.platform.runtime.NodeOperations;
import dev.berth.platform.store.ObjectStore;
import dev.berth.platform.store.StoreException;
import dev.berth.platform.store.WatchEvent;
import dev.berth.support.problem.Problem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The embedded engine: this machine as a small cluster. Writes go to the {@link ObjectStore}; the
 * controllers, scheduler and kubelet react to them. Manifests reach it already validated by the API; what it changes
 * itself on request (scale, replace, rollout) it validates with the same {@link ManifestValidator}.
 * Thread-safe.
 */
public class LocalEngine {

    private final ObjectStore store;
    private final AppliedState applied;
    private final NodeOperations nodes;
    private final LogFiles logs;
    private final KubernetesSerialization json;
    private final RolloutMetrics rollouts;
    private final ManifestValidator validator;

    /**
     * @param validator the rules every write path shares: what scale, replace and rollout produce is validated as
     *                  an applied manifest is, inside the store's write, so a refused change writes nothing
     */
    public LocalEngine(ObjectStore store, KubernetesSerialization json, NodeOperations nodes, LogFiles logs, RolloutMetrics rollouts,
            ManifestValidator validator) {
        this.store = store;
        this.validator = validator;
        this.rollouts = rollouts;
        this.json = json;
        this.applied = new AppliedState(json);
        this.nodes = nodes;
        this.logs = logs;
    }

    public List<ApplyResult> apply(List<HasMetadata> objects, String defaultNamespace, boolean dryRun) {
        List<HasMetadata> prepared = new ArrayList<>();
        for (HasMetadata o : objects) {
            if (o.getMetadata().getNamespace() == null && ResourceKind.of(o).map(ResourceKind::namespaced).orElse(false)) {
                o.getMetadata().setNamespace(defaultNamespace == null ? ObjectKey.DEFAULT_NAMESPACE : defaultNamespace);
            }
            prepared.add(o);
        }
        // again after defaulting: the default namespace comes from the caller, and not every caller is the API
        validator.validate(prepared);
        // refuse stale versions before writing anything, so a conflict changes nothing
        for (HasMetadata o : prepared) {
            String expected = o.getMetadata().getResourceVersion();
            Optional<HasMetadata> current = store.get(ObjectKey.of(o));
            if (expected != null && current.isPresent() && !expected.equals(current.get().getMetadata().getResourceVersion())) {
                throw conflict(ObjectKey.of(o), expected, current.get());
            }
        }
        List<ApplyResult> results = new ArrayList<>();
        for (HasMetadata o : prepared) {
            ObjectKey key = ObjectKey.of(o);
            Optional<HasMetadata> current = store.get(key);
            HasMetadata result;
            ApplyResult.Action action;
            if (current.isEmpty()) {
                result = dryRun ? o : store.create(applied.forCreate(o));
                action = ApplyResult.Action.CREATED;
            } else if (dryRun) {
                result = current.get();
                action = store.wouldChange(key, applied.merge(current.get(), o)) ? ApplyResult.Action.CONFIGURED : ApplyResult.Action.UNCHANGED;
            } else {
                HasMetadata merged = applied.merge(current.get(), o);
                result = store.mutate(key, was -> merged);
                boolean same = result.getMetadata().getResourceVersion().equals(current.get().getMetadata().getResourceVersion());
                action = same ? ApplyResult.Action.UNCHANGED : ApplyResult.Action.CONFIGURED;
            }
            results.add(new ApplyResult(o.getKind(), key.namespace(), key.name(), action, result.getMetadata().getResourceVersion()));
        }
        return results;
    }

    public <T extends HasMetadata> Optional<T> get(ResourceKind kind, String namespace, String name) {
        return store.get(new ObjectKey(kind, namespace, name));
    }

    public <T extends HasMetadata> List<T> list(ResourceKind kind, String namespace, String labelSelector) {
        return store.list(kind, namespace, selector(labelSelector));
    }

    public <T extends HasMetadata> T update(T object) {
        ResourceKind kind = ResourceKind.of(object).orElseThrow(() -> new EngineException(400, "unsupported kind " + object.getKind()));
        if (!kind.applicable()) {
            throw new EngineException(403, kind.kind() + " objects are managed by the core");
        }
        validator.validateObject(object);
        try {
            return store.update(object);
        } catch (StoreException e) {
            throw translate(e);
        }
    }

    public boolean delete(ResourceKind kind, String namespace, String name) {
        if (!kind.applicable()) {
            throw new EngineException(403, kind.kind() + " objects are managed by the core; delete their owner instead");
        }
        return store.delete(new ObjectKey(kind, namespace, name)).isPresent();
    }

    public HasMetadata scale(ResourceKind kind, String namespace, String name, int replicas) {
        ObjectKey key = new ObjectKey(kind, namespace, name);
        try {
            if (kind == ResourceKind.DEPLOYMENT) {
                return store.<Deployment>mutate(key, d -> {
                    d.getSpec().setReplicas(replicas);
                    return valid(d);
                });
            }
            if (kind == ResourceKind.STATEFULSET) {
                return store.<StatefulSet>mutate(key, s -> {
                    s.getSpec().setReplicas(replicas);
                    return valid(s);
                });
            }
        } catch (StoreException e) {
            throw translate(e);
        }
        throw new EngineException(400, "only Deployments and StatefulSets can be scaled",
                List.of(new Problem.FieldError("kind", "must be deployment or statefulset")));
    }

    public AutoCloseable watch(ResourceKind kind, String namespace, String labelSelector, Consumer<WatchEvent> listener) {
        LabelSelector selector = selector(labelSelector);
        return store.watch(k -> k.kind() == kind && (namespace == null || k.namespace().equals(namespace) || !kind.namespaced()),
                e -> {
                    if (Labels.matches(selector, e.object().getMetadata().getLabels())) {
                        listener.accept(e);
                    }
                });
    }

    public InputStream logs(String namespace, String pod, Integer tailLines, boolean follow) {
        ObjectKey key = new ObjectKey(ResourceKind.POD, namespace, pod);
        Pod found = store.<Pod>get(key).orElseThrow(() -> new EngineException(404, "pod " + key.namespace() + "/" + pod + " not found"));
        return logs(key.namespace(), pod, found.getSpec().getContainers().get(0).getName(), LogOptions.tail(tailLines, follow));
    }

    /**
     * One container's log as the kubelet serves {@code GET pods/{name}/log}: its current instance, or the previous one.
     *
     * @throws EngineException 404 for no such pod; 400 when the previous instance is asked and none is kept
     */
    public InputStream logs(String namespace, String pod, String container, LogOptions options) {
        ObjectKey key = new ObjectKey(ResourceKind.POD, namespace, pod);
        Pod found = store.<Pod>get(key).orElseThrow(() -> new EngineException(404, "pod " + key.namespace() + "/" + pod + " not found"));
        String uid = found.getMetadata().getUid();
        return logs.open(found, container, options, () -> store.<Pod>get(key).filter(p -> p.getMetadata().getUid().equals(uid)))
                .orElseThrow(() -> new EngineException(400, "previous terminated container \"" + container + "\" in pod \"" + pod + "\" not found"));
    }

    public HasMetadata node(String name, NodeAction action) {
        return nodes.apply(name, action);
    }

    public Deployment rollout(String namespace, String name, RolloutAction action) {
        ObjectKey key = new ObjectKey(ResourceKind.DEPLOYMENT, namespace, name);
        Deployment current = store.<Deployment>get(key).orElseThrow(() -> new EngineException(404, "deployment \"" + name + "\" not found"));
        try {
            if (action instanceof RolloutAction.Undo u) {
                return undo(key, current, u.toRevision());
            }
            return store.<Deployment>mutate(key, d -> {
                if (action instanceof RolloutAction.Pause) {
                    d.getSpec().setPaused(true);
                } else if (action instanceof RolloutAction.Resume) {
                    d.getSpec().setPaused(null);
                } else {
                    RolloutHistory.stampRestart(d, Instant.now());
                }
                return valid(d);
            });
        } catch (StoreException e) {
            throw translate(e);
        }
    }

    private Deployment undo(ObjectKey key, Deployment current, long toRevision) {
        List<ReplicaSet> owned = store.<ReplicaSet>list(ResourceKind.REPLICASET, key.namespace(), null).stream()
                .filter(rs -> Owners.isOwnedBy(rs, current)).toList();
        RolloutHistory.Revision target;
        try {
            target = RolloutHistory.undoTarget(current, owned, toRevision);
        } catch (IllegalArgumentException e) {
            throw new EngineException(400, e.getMessage(), List.of(new Problem.FieldError("toRevision", e.getMessage())));
        }
        PodTemplateSpec template = RolloutHistory.templateOf(target.replicaSet(), json);
        Deployment undone = store.<Deployment>mutate(key, d -> {
            d.getSpec().setTemplate(template);
            RolloutHistory.copyChangeCause(target.replicaSet(), d);
            return valid(d);
        });
        rollouts.rolledBack(undone, RolloutMetrics.MANUAL);
        return undone;
    }

    /** {@code changed}, if it passes the shared validation; throws (inside the store's write, so nothing is written) otherwise. */
    private <T extends HasMetadata> T valid(T changed) {
        validator.validateObject(changed);
        return changed;
    }

    static LabelSelector selector(String expression) {
        if (expression == null || expression.isBlank()) {
            return null;
        }
        try {
            return Labels.parse(expression);
        } catch (IllegalArgumentException e) {
            throw new EngineException(400, e.getMessage(), List.of(new Problem.FieldError("labelSelector", e.getMessage())));
        }
    }

    private static EngineException conflict(ObjectKey key, String expected, HasMetadata current) {
        return new EngineException(409, "the object has been modified: " + key + " is at resourceVersion "
                + current.getMetadata().getResourceVersion() + ", the request was based on " + expected,
                List.of(new Problem.FieldError("metadata.resourceVersion", "is stale")));
    }

    /** The store's refusal as the API answers it (404, 409, or 400 naming the field). */
    public static EngineException translate(StoreException e) {
        return switch (e.reason()) {
            case NOT_FOUND -> new EngineException(404, e.getMessage());
            case ALREADY_EXISTS -> new EngineException(409, e.getMessage());
            case CONFLICT -> new EngineException(409, e.getMessage(), List.of(new Problem.FieldError("metadata.resourceVersion", "is stale")));
            case INVALID -> new EngineException(400, e.getMessage(), List.of(new Problem.FieldError(e.field(), e.getMessage())));
        };
    }
}
