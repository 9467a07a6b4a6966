package dev.berth.platform.runtime;

import dev.berth.platform.model.HostPorts;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.probe.ContainerProber;
import dev.berth.platform.probe.ProbeCheck;
import dev.berth.platform.store.EventRecorder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Runs one pod's containers: starts them (image pull, ports, environment), restarts a container that exits or
 * fails its liveness probe with exponential back-off (CrashLoopBackOff in its status), reports probe results,
 * and stops the pod gracefully — out of the Services first, drained, preStop, SIGTERM, grace period,
 * SIGKILL — or at once when its node dies. Thread-safe: lifecycle steps run on the kubelet's workers, status
 * writes go through {@link PodStatusWriter}.
 */
final class PodWorker {

    private static final Logger LOG = Logger.getLogger(PodWorker.class);
    static final String COMPONENT = "kubelet";
    /** The JVM that runs the pod's Java containers, {@code <version> <java home>}. */
    static final String JVM_ANNOTATION = "berth.dev/jvm";
    /** Per Java container ({@code berth.dev/class-data.<container>}): {@code used <file>}, {@code writing <file>} or {@code none: <reason>}. */
    static final String CLASS_DATA_ANNOTATION = "berth.dev/class-data.";

    private final Kubelet.Deps deps;
    final ObjectKey key;
    final String uid;
    private volatile Pod pod;
    private final Map<String, ContainerRun> containers = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> hostPorts = new LinkedHashMap<>();
    private volatile boolean stopping;
    /** A container's exit took the pod out of its Services' kernel rules, not yet undone. */
    private final java.util.concurrent.atomic.AtomicBoolean outAtExit = new java.util.concurrent.atomic.AtomicBoolean();
    /** Set once, by the kubelet that hands this worker its graceful stop: a second change to the pod never starts another. */
    private final java.util.concurrent.atomic.AtomicBoolean stopClaimed = new java.util.concurrent.atomic.AtomicBoolean();
    /** When the graceful stop in progress must have ended (null before it starts); a later delete may bring it closer. */
    private volatile Instant stopDeadline;
    /** Completed when a shortened grace ran out: the stop's remaining waits end at once. */
    private final java.util.concurrent.CompletableFuture<Void> graceRanOut = new java.util.concurrent.CompletableFuture<>();
    /** Completes when {@link #start()} has launched or adopted every container (or given up). */
    private final CompletableFuture<Void> started = new CompletableFuture<>();

    /** One container's process, its prober and its restart bookkeeping. */
    private final class ContainerRun {
        final Container spec;
        volatile ReplicaProcess process;
        volatile ContainerProber prober;
        volatile ContainerRuntime.Launch launch;
        /** The process whose use of its class-data archive is still to be checked (once, at its first readiness). */
        final java.util.concurrent.atomic.AtomicReference<ReplicaProcess> classDataUnchecked = new java.util.concurrent.atomic.AtomicReference<>();
        int restarts;
        String startedAt;

        ContainerRun(Container spec, int restarts) {
            this.spec = spec;
            this.restarts = restarts;
        }
    }

    PodWorker(Kubelet.Deps deps, Pod pod) {
        this.deps = deps;
        this.pod = pod;
        this.key = ObjectKey.of(pod);
        this.uid = pod.getMetadata().getUid();
    }

    boolean isStopping() {
        return stopping;
    }

    /** Whether the caller is the one to run {@link #stopGracefully} (true once). */
    boolean claimStop() {
        return stopClaimed.compareAndSet(false, true);
    }

    /** Starts every container, adopting processes an earlier core left running. */
    void start() {
        try {
            launchOrAdoptAll();
        } finally {
            started.complete(null);
        }
    }

    /** Waits (at most {@code max}) for {@link #start()} to finish, so a stop sees every process it launched or adopted. */
    void awaitStarted(Duration max) {
        try {
            started.get(Math.max(max.toMillis(), 1), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warnf("%s did not finish starting within %s; stopping what it has", key, max);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void launchOrAdoptAll() {
        hostPorts.putAll(HostPorts.of(pod));
        deps.ports().hold(hostPorts.values());
        allocatePorts();
        deps.status().update(key, uid, p -> {
            p.getMetadata().getAnnotations().put(HostPorts.ANNOTATION, HostPorts.format(hostPorts));
            p.getStatus().setPodIP("127.0.0.1");
            p.getStatus().setHostIP("127.0.0.1");
            if (p.getStatus().getStartTime() == null) {
                p.getStatus().setStartTime(deps.status().now());
            }
            deps.status().condition(p, "Initialized", true, null, null);
        });
        for (Container c : pod.getSpec().getContainers()) {
            int restarts = restartCount(c.getName());
            ContainerRun run = new ContainerRun(c, restarts);
            containers.put(c.getName(), run);
            String containerId = containerId(c.getName());
            var adopted = ReplicaProcess.adopt(containerId);
            if (adopted.isPresent()) {
                adopt(run, adopted.get());
            } else {
                launch(run);
            }
        }
    }

    private void allocatePorts() {
        for (Container c : pod.getSpec().getContainers()) {
            for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
                hostPorts.computeIfAbsent(p.getContainerPort(), x -> deps.ports().allocate());
            }
        }
    }

    private void launch(ContainerRun run) {
        if (stopping) {
            return;
        }
        Container c = run.spec;
        try {
            Pod current = deps.store().<Pod>get(key).orElse(pod);
            Map<String, String> env = deps.env().resolve(current, c);
            ContainerRuntime runtime = deps.runtimeFor(c.getImage());
            // every instance but the pod's first writes a log of its own: the one before stays for `logs --previous`
            boolean ranBefore = !deps.dirs().instanceLogs(key.namespace(), key.name(), c.getName()).isEmpty();
            run.launch = runtime.prepare(current, c, portsOf(c), env);
            if (ranBefore) {
                run.launch = run.launch.withSpec(run.launch.spec().withLogFile(deps.dirs().nextLogFile(key.namespace(), key.name(), c.getName())));
            }
            try {
                run.process = ReplicaProcess.start(run.launch.spec());
                run.classDataUnchecked.set(run.process);
            } catch (IOException | RuntimeException e) {
                run.launch.finish(); // no JVM will write its archive
                throw e;
            }
            deps.ledger().track(run.process);
            RunAs user = run.launch.spec().runAs();
            if (user != null) {
                user.notApplied(RunAs.coreUid()).ifPresent(why -> deps.events().warning(pod, COMPONENT, "RunAsUserNotApplied", why));
            }
        } catch (ContainerLaunchException e) {
            failedToStart(run, e.reason(), e.getMessage());
            return;
        } catch (IOException | RuntimeException e) {
            failedToStart(run, "CreateContainerError", e.getMessage());
            return;
        }
        ClassDataArchives.Use classData = run.launch.classData();
        running(run, run.process, "Started container " + c.getName() + RunAs.startedAs(run.launch.spec().runAs())
                + (classData == null ? "" : " on JVM " + classData.jvm() + ", class-data archive: " + classData.status()));
    }

    private void adopt(ContainerRun run, ReplicaProcess process) {
        try {
            Pod current = deps.store().<Pod>get(key).orElse(pod);
            run.launch = deps.runtimeFor(run.spec.getImage()).prepare(current, run.spec, portsOf(run.spec), deps.env().resolve(current, run.spec));
            run.launch.finish(); // the adopted process runs with the flags it was started with: it writes no archive of this launch's
        } catch (ContainerLaunchException | RuntimeException e) {
            LOG.warnf("adopted %s/%s but cannot re-derive its launch (%s); probes use the manifest's", key, run.spec.getName(), e.getMessage());
        }
        run.process = process;
        deps.ledger().track(process);
        LOG.infof("adopted running container %s of %s (pid %d)", run.spec.getName(), key, process.pid());
        watchExit(run, process);
        startProbes(run);
    }

    private Map<Integer, Integer> portsOf(Container c) {
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
            ports.put(p.getContainerPort(), hostPorts.get(p.getContainerPort()));
        }
        return ports;
    }

    private void running(ContainerRun run, ReplicaProcess process, String message) {
        Instant started = process.started();
        run.startedAt = started.toString();
        ClassDataArchives.Use classData = run.launch.classData();
        deps.status().update(key, uid, p -> {
            if (classData != null) {
                p.getMetadata().getAnnotations().put(JVM_ANNOTATION, classData.jvm().toString());
                p.getMetadata().getAnnotations().put(CLASS_DATA_ANNOTATION + run.spec.getName(), classData.status());
            }
            deps.status().container(p, run.spec.getName(), cs -> {
                cs.setState(deps.status().running(started));
                cs.setContainerID(process.containerId());
                cs.setImageID(run.launch.imageId());
                cs.setRestartCount(run.restarts);
                cs.setReady(false);
                cs.setStarted(false);
            });
            p.getStatus().setPhase("Running");
        });
        deps.events().normal(pod, COMPONENT, "Started", message);
        watchExit(run, process);
        startProbes(run);
    }

    private void watchExit(ContainerRun run, ReplicaProcess process) {
        ContainerRuntime.Launch launch = run.launch;
        process.onExit().thenAccept(code -> {
            if (run.process == process && !stopping) {
                // out of every Service before anything else, here on the exit itself: the Endpoints change that follows
                // the status write below takes a store round trip and the routing's reaction, and until then the
                // kernel path (no per-request retry) would send new connections to a port nobody listens on
                outOfServices();
            }
            if (launch != null) {
                launch.finish().ifPresent(written -> archived(run, written));
            }
            deps.workers().submit(() -> exited(run, process, code));
        });
    }

    /** Takes the pod out of its Services' kernel rules now (see {@link TrafficDrain#exited}). Never throws. */
    private void outOfServices() {
        outAtExit.set(true);
        try {
            deps.drain().exited(pod);
        } catch (RuntimeException e) {
            // the Endpoints change still takes it out, a moment later
            LOG.warnf("could not take %s out of its Services at its exit: %s", key, e.toString());
        }
    }

    /** A container is ready again after an exit took the pod out at once: back in (see {@link TrafficDrain#readyAgain}). */
    private void backInServices() {
        if (stopping || !outAtExit.compareAndSet(true, false)) {
            return;
        }
        try {
            deps.drain().readyAgain(pod);
        } catch (RuntimeException e) {
            LOG.warnf("could not put %s back in its Services: %s (its next Endpoints change does)", key, e.toString());
        }
    }

    /** A launch of the container wrote its image's class-data archive: an event, and the annotation says so. */
    private void archived(ContainerRun run, ClassDataArchives.Written written) {
        deps.status().update(key, uid, p -> p.getMetadata().getAnnotations().put(CLASS_DATA_ANNOTATION + run.spec.getName(),
                "wrote " + written.archive() + " (used from the next start)"));
        deps.events().normal(pod, COMPONENT, "ClassDataArchived", written.message());
    }

    private void startProbes(ContainerRun run) {
        Container c = run.spec;
        Probe startup = run.launch == null ? c.getStartupProbe() : run.launch.override("startup").orElse(c.getStartupProbe());
        Probe liveness = run.launch == null ? c.getLivenessProbe() : run.launch.override("liveness").orElse(c.getLivenessProbe());
        Probe readiness = run.launch == null ? c.getReadinessProbe() : run.launch.override("readiness").orElse(c.getReadinessProbe());
        var probes = new ContainerProber.Probes(startup, port(c, startup), liveness, port(c, liveness), readiness, port(c, readiness));
        ReplicaProcess process = run.process;
        ContainerProber prober = new ContainerProber(deps.probes(), deps.timer(), probes, new ContainerProber.Listener() {
            @Override
            public void started() {
                deps.status().update(key, uid, p -> deps.status().container(p, c.getName(), cs -> cs.setStarted(true)));
            }

            @Override
            public void startupFailed(String message) {
                unhealthy(run, process, message);
            }

            @Override
            public void livenessFailed(String message) {
                unhealthy(run, process, message);
            }

            @Override
            public void readinessChanged(boolean ready, String message) {
                if (ready && (startup != null || readiness != null)) {
                    classDataChecked(run, process); // a probe passed: the JVM is well past mapping its archive
                }
                if (!ready) {
                    deps.metrics().probeFailed(pod, "readiness");
                    deps.events().warning(pod, COMPONENT, "Unhealthy", message);
                }
                deps.status().update(key, uid, p -> deps.status().container(p, c.getName(), cs -> cs.setReady(ready)));
                if (ready) {
                    backInServices();
                }
            }
        });
        run.prober = prober;
        prober.start();
    }

    /**
     * The container is ready for the first time: a first run of its image writes the class-data archive now (on a
     * worker: the dump takes seconds); a run given one checks that its JVM used it — if it rejected it, the pod's
     * annotation and a Warning say so.
     */
    private void classDataChecked(ContainerRun run, ReplicaProcess process) {
        ContainerRuntime.Launch launch = run.launch;
        if (launch == null || launch.classData() == null || run.process != process || !run.classDataUnchecked.compareAndSet(process, null)) {
            return;
        }
        ClassDataArchives.Use classData = launch.classData();
        deps.workers().submit(() -> classData.writeNow(process.pid()).ifPresent(written -> archived(run, written)));
        classData.rejectedBy(process.pid()).ifPresent(why -> {
            deps.status().update(key, uid, p -> p.getMetadata().getAnnotations().put(CLASS_DATA_ANNOTATION + run.spec.getName(), why));
            deps.events().warning(pod, COMPONENT, "ClassDataRejected", "Container " + run.spec.getName() + ": class-data archive " + why);
        });
    }

    /** The host port a probe reaches: its port (a number or a container port name) mapped to the replica's host port. */
    private int port(Container c, Probe probe) {
        if (probe == null) {
            return -1;
        }
        IntOrString port = probe.getHttpGet() != null ? probe.getHttpGet().getPort() : probe.getTcpSocket() != null ? probe.getTcpSocket().getPort() : null;
        if (port == null) {
            return -1;
        }
        Integer containerPort = port.getIntVal();
        if (containerPort == null) {
            containerPort = (c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()).stream()
                    .filter(p -> port.getStrVal().equals(p.getName())).map(ContainerPort::getContainerPort).findFirst().orElse(-1);
        }
        return hostPorts.getOrDefault(containerPort, containerPort);
    }

    private void unhealthy(ContainerRun run, ReplicaProcess process, String message) {
        deps.metrics().probeFailed(pod, message.startsWith("Startup") ? "startup" : "liveness");
        deps.events().warning(pod, COMPONENT, "Unhealthy", message);
        deps.events().normal(pod, COMPONENT, "Killing", "Container " + run.spec.getName() + " failed its probe, will be restarted");
        deps.workers().submit(() -> process.stop(grace()));
    }

    /** A container's process ended: record it, then restart it after the back-off (restartPolicy Always). */
    private void exited(ContainerRun run, ReplicaProcess process, int code) {
        if (run.process != process || stopping) {
            return;
        }
        closeProber(run);
        Duration ran = Duration.between(process.started(), Instant.now());
        if (ran.compareTo(Duration.ofMinutes(10)) > 0) {
            run.restarts = 0; // ran long enough: the back-off starts over, as kubelet's does
        }
        run.restarts++;
        deps.metrics().restarted(pod);
        Duration backoff = backoff(run.restarts, deps.config().initialBackoff(), deps.config().maxBackoff());
        String reason = code == 0 ? "Completed" : "Error";
        String startedAt = run.startedAt;
        deps.status().update(key, uid, p -> deps.status().container(p, run.spec.getName(), cs -> {
            cs.setLastState(deps.status().terminated(code, reason, null, startedAt));
            cs.setRestartCount(run.restarts);
            cs.setReady(false);
            cs.setStarted(false);
            cs.setState(PodStatusWriter.waiting(backoff.isZero() ? "ContainerCreating" : "CrashLoopBackOff",
                    backoff.isZero() ? null : "back-off " + backoff.toSeconds() + "s restarting failed container=" + run.spec.getName()
                            + " pod=" + key.name()));
        }));
        deps.events().warning(pod, COMPONENT, backoff.isZero() ? "Restarting" : "BackOff",
                "Container " + run.spec.getName() + " exited with code " + code + (backoff.isZero() ? "; restarting" : "; back-off restarting failed container"));
        deps.timer().schedule(() -> deps.workers().submit(() -> launch(run)), backoff.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Restart delays: the first restart is immediate (a crash is repaired within the service's own startup time),
     * then initial, 2×initial, … up to max.
     */
    static Duration backoff(int restarts, Duration initial, Duration max) {
        if (restarts <= 1) {
            return Duration.ZERO;
        }
        Duration d = initial.multipliedBy(1L << Math.min(restarts - 2, 20));
        return d.compareTo(max) > 0 ? max : d;
    }

    private void failedToStart(ContainerRun run, String reason, String message) {
        run.restarts++;
        Duration backoff = backoff(Math.max(run.restarts, 2), deps.config().initialBackoff(), deps.config().maxBackoff());
        String shown = reason.equals("ErrImagePull") && run.restarts > 1 ? "ImagePullBackOff" : reason;
        deps.status().update(key, uid, p -> deps.status().container(p, run.spec.getName(), cs -> {
            cs.setState(PodStatusWriter.waiting(shown, message));
            cs.setReady(false);
        }));
        deps.events().warning(pod, COMPONENT, "Failed", message);
        LOG.warnf("%s/%s: %s: %s", key, run.spec.getName(), shown, message);
        deps.timer().schedule(() -> deps.workers().submit(() -> launch(run)), backoff.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Graceful stop for a deleted pod: not ready at once (the status write takes it out of its Services'
     * endpoints), drained, preStop hooks, SIGTERM, the grace period, SIGKILL.
     */
    void stopGracefully(Pod terminating) {
        Duration grace = Duration.ofSeconds(terminating.getMetadata().getDeletionGracePeriodSeconds() != null
                ? terminating.getMetadata().getDeletionGracePeriodSeconds() : grace().toSeconds());
        stopDeadline = Instant.now().plus(grace); // before stopping: a worker seen stopping has its deadline
        stopping = true;
        containers.values().forEach(this::closeProber);
        try {
            java.util.concurrent.CompletableFuture.anyOf(deps.drain().drain(terminating, grace).toCompletableFuture(), graceRanOut)
                    .get(grace.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warnf("draining %s did not finish: %s", key, e.toString());
        }
        for (ContainerRun run : containers.values()) {
            preStop(run);
        }
        containers.values().parallelStream().forEach(run -> {
            if (run.process != null) {
                Duration left = Duration.between(Instant.now(), stopDeadline);
                run.process.stop(left.isNegative() ? Duration.ZERO : left);
                if (run.launch != null) { // in place before the stop returns: the core may exit next
                    run.launch.finish().ifPresent(written -> archived(run, written));
                }
            }
        });
        deps.ports().release(hostPorts.values());
        deps.events().normal(terminating, COMPONENT, "Killing", "Stopped containers of pod " + key.name());
    }

    private void preStop(ContainerRun run) {
        LifecycleHandler hook = run.spec.getLifecycle() == null ? null : run.spec.getLifecycle().getPreStop();
        if (hook == null || run.process == null || !run.process.isAlive()) {
            return;
        }
        if (hook.getSleep() != null && hook.getSleep().getSeconds() != null) {
            // the traffic is already drained here, so the sleep only delays SIGTERM as the manifest asks (or ends with the
            // process); onExit() is this wait's own copy, so its timeout does not make the process look gone to the stop
            run.process.onExit().completeOnTimeout(0, hook.getSleep().getSeconds(), TimeUnit.SECONDS).join();
        }
    }

    /**
     * A later delete of the pod being stopped gave it a shorter grace period (kube-apiserver only ever shortens it, see
     * DeletionGrace): the stop now ends that many seconds from here, as the kubelet stops a pod again with the shorter
     * grace — what still runs then is killed. A grace that is not shorter changes nothing.
     */
    void shortenGrace(Pod terminating) {
        Long seconds = terminating.getMetadata().getDeletionGracePeriodSeconds();
        Instant current = stopDeadline;
        if (seconds == null || current == null) {
            return;
        }
        Instant wanted = Instant.now().plusSeconds(seconds);
        if (!wanted.isBefore(current)) {
            return;
        }
        stopDeadline = wanted;
        LOG.infof("%s: grace period shortened to %d s", key, seconds);
        deps.timer().schedule(() -> deps.workers().submit(this::shortenedGraceEnded), seconds, TimeUnit.SECONDS);
    }

    private void shortenedGraceEnded() {
        if (Instant.now().isBefore(stopDeadline)) {
            return; // an earlier timer of a grace shortened again since: the later deadline's timer comes
        }
        graceRanOut.complete(null);
        containers.values().forEach(run -> {
            if (run.process != null && run.process.isAlive()) {
                run.process.kill();
            }
        });
    }

    /** Immediate stop, no grace: the node died. */
    void killNow() {
        stopping = true;
        containers.values().forEach(run -> {
            closeProber(run);
            if (run.process != null) {
                run.process.kill();
            }
        });
        deps.ports().release(hostPorts.values());
    }

    private void closeProber(ContainerRun run) {
        if (run.prober != null) {
            run.prober.close();
            run.prober = null;
        }
    }

    /** The pod as a deletion with a grace period of at most {@code max} (for stopping everything at core exit). */
    Pod graceOverride(Duration max) {
        Pod p = deps.store().<Pod>get(key).orElse(pod);
        long seconds = Math.max(0, Math.min(grace().toSeconds(), max.toSeconds()));
        p.getMetadata().setDeletionGracePeriodSeconds(seconds);
        return p;
    }

    Duration grace() {
        Long g = pod.getSpec().getTerminationGracePeriodSeconds();
        return Duration.ofSeconds(g == null ? 30 : g);
    }

    private int restartCount(String container) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return 0;
        }
        return pod.getStatus().getContainerStatuses().stream().filter(c -> c.getName().equals(container))
                .map(c -> c.getRestartCount() == null ? 0 : c.getRestartCount()).findFirst().orElse(0);
    }

    private String containerId(String container) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return null;
        }
        return pod.getStatus().getContainerStatuses().stream().filter(c -> c.getName().equals(container) && c.getState() != null && c.getState().getRunning() != null)
                .map(c -> c.getContainerID()).findFirst().orElse(null);
    }
}
