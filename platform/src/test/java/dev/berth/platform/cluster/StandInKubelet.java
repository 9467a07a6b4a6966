package dev.berth.platform.cluster;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A kubelet for tests against a live API server (the core's): it registers Ready Nodes through the API, labelled
 * {@code berth.dev/stand-in=<group>} so that only pods selecting {@link #nodeSelector()} land on them (never the core's
 * virtual nodes, whose kubelet would start processes), and, following the pods bound to its nodes with an informer,
 * writes their status through the status subresource as a kubelet does: Running with a pod IP 127.0.0.x, containers
 * started and ready — or, for the images {@link #neverReady} names, running but never ready (a failing readiness
 * probe), or for those {@link #crashLooping} names, in CrashLoopBackOff. A terminating pod is finished (deleted with
 * grace 0, the kubelet's last step) at once, as containers that exit on SIGTERM do, or at its deletionTimestamp when
 * {@link #ignoringSigterm} (the grace period runs out). No process runs anywhere.
 *
 * <p>{@link #close()} stops following and removes its nodes and every pod bound to them.
 */
public final class StandInKubelet implements AutoCloseable {

    public static final String NODE_LABEL = "berth.dev/stand-in";

    private final KubernetesClient client;
    private final String group;
    private final Set<String> nodes = ConcurrentHashMap.newKeySet();
    private final Set<String> neverReady = ConcurrentHashMap.newKeySet();
    private final Set<String> crashLooping = ConcurrentHashMap.newKeySet();
    private final Map<String, String> podIps = new ConcurrentHashMap<>();
    private final AtomicInteger nextIp = new AtomicInteger(2);
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "stand-in-kubelet"));
    private final KubernetesSerialization json = new KubernetesSerialization();
    private volatile boolean ignoringSigterm;
    private SharedIndexInformer<Pod> pods;

    private StandInKubelet(KubernetesClient client, String group) {
        this.client = client;
        this.group = group;
    }

    /** Follows the pods of every namespace; its nodes come with {@link #node}. */
    public static StandInKubelet start(KubernetesClient client, String group) {
        StandInKubelet kubelet = new StandInKubelet(client, group);
        kubelet.pods = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                kubelet.sync(pod);
            }

            @Override
            public void onUpdate(Pod before, Pod pod) {
                kubelet.sync(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean unknownFinalState) {
                kubelet.podIps.remove(pod.getMetadata().getUid());
            }
        }, 0);
        return kubelet;
    }

    /** The selector that places a pod on this kubelet's nodes. */
    public Map<String, String> nodeSelector() {
        return Map.of(NODE_LABEL, group);
    }

    /** Registers a Ready node as a kubelet does: the object, then its status through the status subresource. */
    public StandInKubelet node(String name, String cpu) {
        nodes.add(name);
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).addToLabels(NODE_LABEL, group)
                .addToLabels("kubernetes.io/hostname", name).endMetadata().withNewSpec().endSpec().build()).create();
        Node n = client.nodes().withName(name).get();
        n.setStatus(new NodeStatusBuilder().addToCapacity("cpu", new Quantity(cpu)).addToCapacity("memory", new Quantity("8Gi"))
                .addToCapacity("pods", new Quantity("110")).addToAllocatable("cpu", new Quantity(cpu))
                .addToAllocatable("memory", new Quantity("8Gi")).addToAllocatable("pods", new Quantity("110"))
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withMessage("kubelet is posting ready status").endCondition().build());
        client.nodes().resource(n).updateStatus();
        return this;
    }

    /** Pods running {@code image} start but never pass readiness. */
    public StandInKubelet neverReady(String image) {
        neverReady.add(image);
        return this;
    }

    /** Pods running {@code image} crash-loop: exit 1 after start, restarted with back-off. */
    public StandInKubelet crashLooping(String image) {
        crashLooping.add(image);
        return this;
    }

    /** Terminating pods run out their grace period before they are finished (their containers ignore SIGTERM). */
    public StandInKubelet ignoringSigterm() {
        ignoringSigterm = true;
        return this;
    }

    /** What went wrong writing pods; a test asserts it is empty (a failure here must not pass silently). */
    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    private void sync(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getNodeName() == null || !nodes.contains(pod.getSpec().getNodeName())) {
            return;
        }
        try {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                finishAt(pod);
            } else {
                report(pod);
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) { // deleted meanwhile: nothing left to report
                failures.add(e);
            }
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    /** The kubelet's last step of a graceful deletion: a delete with grace 0, once the containers are gone. */
    private void finishAt(Pod pod) {
        Duration wait = ignoringSigterm ? Duration.between(Instant.now(), Instant.parse(pod.getMetadata().getDeletionTimestamp())) : Duration.ZERO;
        String uid = pod.getMetadata().getUid();
        timer.schedule(() -> {
            Pod current = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get();
            if (current == null || !uid.equals(current.getMetadata().getUid()) || current.getMetadata().getDeletionTimestamp() == null) {
                return;
            }
            if (ignoringSigterm && Instant.now().isBefore(Instant.parse(current.getMetadata().getDeletionTimestamp()))) {
                finishAt(current); // not yet: its grace is still running
                return;
            }
            try {
                client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).withGracePeriod(0).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) { // gone meanwhile is what this delete wanted
                    failures.add(new IllegalStateException("finishing " + pod.getMetadata().getName() + ": " + e.getCode() + " " + e.getMessage(), e));
                }
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }, Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** Running, its containers started; ready unless its image never is; written only when it differs. */
    private void report(Pod pod) {
        String ip = podIps.computeIfAbsent(pod.getMetadata().getUid(), u -> "127.0.0." + nextIp.getAndIncrement());
        String since = pod.getStatus() != null && pod.getStatus().getStartTime() != null ? pod.getStatus().getStartTime()
                : Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<ContainerStatus> containers = new ArrayList<>();
        boolean allReady = true;
        for (var c : pod.getSpec().getContainers()) {
            boolean crashing = crashLooping.contains(c.getImage());
            boolean ready = !crashing && !neverReady.contains(c.getImage());
            allReady &= ready;
            ContainerStatusBuilder s = new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withImageID(c.getImage())
                    .withReady(ready).withStarted(!crashing).withRestartCount(crashing ? 3 : 0);
            if (crashing) {
                s.withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                        .withMessage("back-off 40s restarting failed container=" + c.getName()).endWaiting().endState()
                        .withNewLastState().withNewTerminated().withExitCode(1).withReason("Error").withStartedAt(since).withFinishedAt(since)
                        .endTerminated().endLastState();
            } else {
                s.withNewState().withNewRunning().withStartedAt(since).endRunning().endState();
            }
            containers.add(s.build());
        }
        String ready = allReady ? "True" : "False";
        PodStatus status = new PodStatusBuilder().withPhase("Running").withHostIP("127.0.0.1").withPodIP(ip).addNewPodIP(ip).withStartTime(since)
                .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
                .addNewCondition().withType("Initialized").withStatus("True").endCondition()
                .addNewCondition().withType("ContainersReady").withStatus(ready).withReason(allReady ? null : "ContainersNotReady").endCondition()
                .addNewCondition().withType("Ready").withStatus(ready).withReason(allReady ? null : "ContainersNotReady").endCondition()
                .withContainerStatuses(containers).build();
        if (pod.getStatus() != null && reported(pod.getStatus(), status)) {
            return; // already as this kubelet reports it: nothing to write (no endless update loop)
        }
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), json.asJson(Map.of("status", status)));
    }

    private static boolean reported(PodStatus current, PodStatus wanted) {
        return wanted.getPhase().equals(current.getPhase()) && wanted.getPodIP().equals(current.getPodIP())
                && String.valueOf(wanted.getContainerStatuses().stream().map(ContainerStatus::getReady).toList())
                        .equals(String.valueOf(current.getContainerStatuses() == null ? null
                                : current.getContainerStatuses().stream().map(ContainerStatus::getReady).toList()));
    }

    @Override
    public void close() {
        pods.close();
        timer.shutdownNow();
        for (String node : nodes) {
            client.pods().inAnyNamespace().withField("spec.nodeName", node).withGracePeriod(0).delete();
            client.nodes().withName(node).delete();
        }
    }
}
