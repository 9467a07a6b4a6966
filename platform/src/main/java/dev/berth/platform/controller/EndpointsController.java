package dev.berth.platform.controller;

import dev.berth.platform.model.HostPorts;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.PodStatuses;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps one Endpoints object per Service: every scheduled, non-terminating pod its selector matches, with the
 * host port each service port reaches on that pod. Ready pods are {@code addresses}; the others
 * {@code notReadyAddresses}. The proxy follows these objects, including the canary traffic split written as the
 * annotation {@value #TRAFFIC_SPLIT_ANNOTATION} ({@code canaryHash=10,stableHash=90}) while a canary of a Deployment
 * behind the Service is routed ({@link Canary#routedWeight}).
 */
public final class EndpointsController implements Reconciler {

    public static final String TRAFFIC_SPLIT_ANNOTATION = "berth.dev/traffic-split";

    private final ObjectStore store;

    public EndpointsController(ObjectStore store) {
        this.store = store;
    }

    @Override
    public ReconcileResult reconcile(ObjectKey serviceKey) {
        ObjectKey endpointsKey = new ObjectKey(ResourceKind.ENDPOINTS, serviceKey.namespace(), serviceKey.name());
        Optional<Service> found = store.get(serviceKey);
        if (found.isEmpty()) {
            return ReconcileResult.noChange(); // the garbage collector removes its Endpoints
        }
        Service service = found.get();
        Map<String, String> selector = service.getSpec().getSelector();
        if (selector == null || selector.isEmpty()) {
            return ReconcileResult.noChange(); // a selector-less Service's endpoints are managed by hand
        }
        List<Pod> pods = store.<Pod>list(ResourceKind.POD, serviceKey.namespace(), new LabelSelector(List.of(), selector));
        Endpoints desired = endpoints(service, pods);
        String split = trafficSplit(pods, owner -> store.<ReplicaSet>get(new ObjectKey(ResourceKind.REPLICASET, serviceKey.namespace(), owner)));
        if (split != null) {
            desired.getMetadata().setAnnotations(Map.of(TRAFFIC_SPLIT_ANNOTATION, split));
        }
        Optional<Endpoints> current = store.get(endpointsKey);
        if (current.isEmpty()) {
            store.create(desired);
            return ReconcileResult.changedState();
        }
        String currentSplit = current.get().getMetadata().getAnnotations() == null ? null : current.get().getMetadata().getAnnotations().get(TRAFFIC_SPLIT_ANNOTATION);
        if (Objects.equals(current.get().getSubsets(), desired.getSubsets()) && Objects.equals(currentSplit, split)) {
            return ReconcileResult.noChange();
        }
        store.<Endpoints>mutate(endpointsKey, e -> {
            e.setSubsets(desired.getSubsets());
            Map<String, String> a = new java.util.LinkedHashMap<>(e.getMetadata().getAnnotations() == null ? Map.of() : e.getMetadata().getAnnotations());
            if (split == null) {
                a.remove(TRAFFIC_SPLIT_ANNOTATION);
            } else {
                a.put(TRAFFIC_SPLIT_ANNOTATION, split);
            }
            e.getMetadata().setAnnotations(a);
            return e;
        });
        return ReconcileResult.changedState();
    }

    /**
     * Pure: the split while a canary is routed — the canary's hash with its weight, every other revision among the
     * Service's pods with the rest — or null when no pod belongs to a routed canary.
     */
    static String trafficSplit(List<Pod> pods, java.util.function.Function<String, Optional<ReplicaSet>> replicaSet) {
        Map<String, Integer> canaries = new java.util.TreeMap<>();
        java.util.Set<String> revisions = new java.util.TreeSet<>();
        for (Pod p : pods) {
            String hash = p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(PodTemplates.TEMPLATE_HASH_LABEL);
            if (hash == null || PodStatuses.isTerminating(p)) {
                continue;
            }
            revisions.add(hash);
            Owners.controllerOf(p).filter(ref -> "ReplicaSet".equals(ref.getKind())).flatMap(ref -> replicaSet.apply(ref.getName()))
                    .flatMap(Canary::routedWeight).ifPresent(w -> canaries.put(hash, w));
        }
        if (canaries.isEmpty()) {
            return null;
        }
        int canaryTotal = canaries.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder out = new StringBuilder();
        for (String r : revisions) {
            int weight = canaries.getOrDefault(r, Math.max(0, 100 - canaryTotal));
            out.append(out.length() == 0 ? "" : ",").append(r).append('=').append(weight);
        }
        return out.toString();
    }

    /** Pure: the Endpoints a Service should have given the pods its selector matches. */
    static Endpoints endpoints(Service service, List<Pod> pods) {
        List<EndpointSubset> subsets = new ArrayList<>();
        for (Pod pod : pods) {
            if (!PodStatuses.isScheduled(pod) || PodStatuses.isTerminating(pod) || PodStatuses.isFinished(pod)) {
                continue;
            }
            Map<Integer, Integer> hostPorts = HostPorts.of(pod);
            List<EndpointPort> ports = new ArrayList<>();
            for (ServicePort sp : service.getSpec().getPorts()) {
                Integer containerPort = containerPort(pod, sp);
                Integer hostPort = containerPort == null ? null : hostPorts.get(containerPort);
                if (hostPort != null) {
                    ports.add(new EndpointPort(null, sp.getName(), hostPort, sp.getProtocol() == null ? "TCP" : sp.getProtocol()));
                }
            }
            if (ports.isEmpty()) {
                continue; // not started yet: no host port to reach
            }
            EndpointAddress address = new EndpointAddressBuilder()
                    .withIp("127.0.0.1")
                    .withNodeName(pod.getSpec().getNodeName())
                    .withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withName(pod.getMetadata().getName())
                            .withNamespace(pod.getMetadata().getNamespace()).withUid(pod.getMetadata().getUid()).build())
                    .build();
            EndpointSubsetBuilder subset = new EndpointSubsetBuilder().withPorts(ports);
            if (PodStatuses.isReady(pod)) {
                subset.withAddresses(address);
            } else {
                subset.withNotReadyAddresses(address);
            }
            subsets.add(subset.build());
        }
        return new EndpointsBuilder()
                .withNewMetadata()
                    .withName(service.getMetadata().getName())
                    .withNamespace(service.getMetadata().getNamespace())
                    .withLabels(service.getMetadata().getLabels())
                    .withOwnerReferences(Owners.controllerRef(service))
                .endMetadata()
                .withSubsets(subsets)
                .build();
    }

    /** The container port a service port targets on this pod: by number, by name, or the service port itself. */
    static Integer containerPort(Pod pod, ServicePort sp) {
        IntOrString target = sp.getTargetPort();
        if (target == null) {
            return sp.getPort();
        }
        if (target.getIntVal() != null) {
            return target.getIntVal();
        }
        for (Container c : pod.getSpec().getContainers()) {
            for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
                if (target.getStrVal().equals(p.getName())) {
                    return p.getContainerPort();
                }
            }
        }
        return null;
    }
}
