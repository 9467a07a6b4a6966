package dev.berth.platform.controller;

import dev.berth.platform.model.Finalizers;
import dev.berth.platform.model.Labels;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.ObjectStore;
import dev.berth.platform.store.WatchEvent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The kube-controller-manager: one {@link ControllerLoop} per controller, fed by one store watch that routes
 * every change to the keys it concerns (a pod change concerns its owner and the Services selecting it).
 * On start every existing object is queued once, so anything that happened while the core was down is
 * reconciled. Thread-safe.
 */
public final class ControllerManager implements AutoCloseable {

    private final ObjectStore store;
    private final ControllerLoop deployments;
    private final ControllerLoop replicaSets;
    private final ControllerLoop statefulSets;
    private final ControllerLoop endpoints;
    private final ControllerLoop garbage;
    private final ControllerLoop autoscalers;
    private final ControllerLoop namespaces;
    private final ControllerLoop serviceAccounts;
    private final ControllerLoop claims;
    private final GarbageCollector collector;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    public ControllerManager(ObjectStore store, DeploymentController deployment, ReplicaSetController replicaSet,
            StatefulSetController statefulSet, EndpointsController endpoint, GarbageCollector collector, NamespaceController namespace,
            AutoscalerController autoscaler, ServiceAccountController serviceAccount, PersistentVolumeClaimBinder claimBinder) {
        this.store = store;
        this.collector = collector;
        this.deployments = new ControllerLoop("deployment", deployment);
        this.replicaSets = new ControllerLoop("replicaset", replicaSet);
        this.statefulSets = new ControllerLoop("statefulset", statefulSet);
        this.endpoints = new ControllerLoop("endpoints", endpoint);
        this.garbage = new ControllerLoop("garbage-collector", collector);
        this.autoscalers = new ControllerLoop("horizontal-pod-autoscaler", autoscaler);
        this.namespaces = new ControllerLoop("namespace", namespace);
        this.serviceAccounts = new ControllerLoop("serviceaccount", serviceAccount);
        this.claims = new ControllerLoop("persistentvolume-binder", claimBinder);
        closeables.addAll(List.of(deployments, replicaSets, statefulSets, endpoints, garbage, autoscalers, namespaces, serviceAccounts, claims));
    }

    /** Subscribes to the store and queues every existing object. */
    public void start() {
        closeables.add(0, store.watch(k -> true, this::route));
        for (ResourceKind kind : List.of(ResourceKind.DEPLOYMENT, ResourceKind.REPLICASET, ResourceKind.STATEFULSET, ResourceKind.SERVICE,
                ResourceKind.HORIZONTAL_POD_AUTOSCALER)) {
            for (HasMetadata o : store.list(kind, null, null)) {
                loopFor(kind).enqueue(ObjectKey.of(o));
            }
        }
        collector.dependentsOf(null).forEach(garbage::enqueue);
        for (ResourceKind kind : ResourceKind.values()) { // deletions held by a finalizer when the core stopped
            for (HasMetadata o : store.list(kind, null, null)) {
                if (Finalizers.deleting(o)) {
                    (kind == ResourceKind.NAMESPACE ? namespaces : garbage).enqueue(ObjectKey.of(o));
                }
            }
        }
        serviceAccounts.enqueue(ServiceAccountController.namespaceKey(ObjectKey.DEFAULT_NAMESPACE));
        store.list(ResourceKind.NAMESPACE, null, null).forEach(ns -> serviceAccounts.enqueue(ObjectKey.of(ns)));
        store.list(ResourceKind.PERSISTENT_VOLUME_CLAIM, null, null).forEach(c -> claims.enqueue(ObjectKey.of(c)));
    }

    private ControllerLoop loopFor(ResourceKind kind) {
        return switch (kind) {
            case DEPLOYMENT -> deployments;
            case REPLICASET -> replicaSets;
            case STATEFULSET -> statefulSets;
            case SERVICE -> endpoints;
            case HORIZONTAL_POD_AUTOSCALER -> autoscalers;
            default -> throw new IllegalArgumentException(kind.toString());
        };
    }

    private void route(WatchEvent e) {
        ObjectKey key = e.key();
        switch (key.kind()) {
            case DEPLOYMENT, STATEFULSET, SERVICE -> loopFor(key.kind()).enqueue(key);
            // an HPA's own writes (status) requeue it too; its sync period paces the measuring
            case HORIZONTAL_POD_AUTOSCALER -> {
                if (e.type() != WatchEvent.Type.MODIFIED) {
                    autoscalers.enqueue(key);
                }
            }
            case REPLICASET -> {
                replicaSets.enqueue(key);
                enqueueOwner(e.object());
                // a canary's routed weight lives on its ReplicaSet: the Services in front of its pods follow it
                ReplicaSet rs = (ReplicaSet) e.object();
                if (rs.getSpec().getTemplate() != null && rs.getSpec().getTemplate().getMetadata() != null) {
                    enqueueSelectingServices(rs.getMetadata().getNamespace(), rs.getSpec().getTemplate().getMetadata().getLabels());
                }
            }
            case NAMESPACE -> serviceAccounts.enqueue(key);
            // a deleted default ServiceAccount comes back, as upstream's controller re-creates it
            case SERVICE_ACCOUNT -> {
                if (e.type() == WatchEvent.Type.DELETED && ServiceAccountController.DEFAULT.equals(key.name())) {
                    serviceAccounts.enqueue(ServiceAccountController.namespaceKey(key.namespace()));
                }
            }
            case PERSISTENT_VOLUME_CLAIM -> {
                if (e.type() != WatchEvent.Type.DELETED) {
                    claims.enqueue(key);
                }
            }
            case POD -> {
                enqueueOwner(e.object());
                enqueueSelectingServices(e.object().getMetadata().getNamespace(), e.object().getMetadata().getLabels());
            }
            default -> { }
        }
        if (e.type() == WatchEvent.Type.DELETED && GarbageCollector.isOwnerKind(key.kind())) {
            collector.dependentsOf(e.object()).forEach(garbage::enqueue);
        }
        if (Finalizers.deleting(e.object())) {
            (key.kind() == ResourceKind.NAMESPACE ? namespaces : garbage).enqueue(key); // a foreground owner, a namespace
        }
        if (e.type() == WatchEvent.Type.DELETED) { // an owner deleted in the foreground waits for this one
            Owners.controllerOf(e.object()).flatMap(ref -> ResourceKind.ofKind(ref.getApiVersion(), ref.getKind()))
                    .filter(GarbageCollector::isOwnerKind)
                    .ifPresent(k -> garbage.enqueue(new ObjectKey(k, key.namespace(), Owners.controllerOf(e.object()).get().getName())));
        }
    }

    private void enqueueOwner(HasMetadata o) {
        Owners.controllerOf(o).ifPresent(ref -> ResourceKind.ofKind(ref.getApiVersion(), ref.getKind())
                .filter(k -> k == ResourceKind.DEPLOYMENT || k == ResourceKind.REPLICASET || k == ResourceKind.STATEFULSET)
                .ifPresent(k -> loopFor(k).enqueue(new ObjectKey(k, o.getMetadata().getNamespace(), ref.getName()))));
    }

    private void enqueueSelectingServices(String namespace, Map<String, String> labels) {
        for (Service s : store.<Service>list(ResourceKind.SERVICE, namespace, null)) {
            Map<String, String> selector = s.getSpec().getSelector();
            if (selector != null && !selector.isEmpty() && labels != null
                    && Labels.matches(new LabelSelector(List.of(), selector), labels)) {
                endpoints.enqueue(ObjectKey.of(s));
            }
        }
    }

    /** Keys waiting in all queues (for tests and metrics). */
    public int backlog() {
        return deployments.depth() + replicaSets.depth() + statefulSets.depth() + endpoints.depth() + garbage.depth() + autoscalers.depth()
                + namespaces.depth() + serviceAccounts.depth() + claims.depth();
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }
}
