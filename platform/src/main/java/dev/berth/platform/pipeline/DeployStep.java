package dev.berth.platform.pipeline;

import dev.berth.platform.cluster.RolloutSupervisor;
import dev.berth.platform.controller.DeploymentPlanner;
import dev.berth.platform.engine.ApplyResult;
import dev.berth.platform.engine.Engine;
import dev.berth.platform.engine.EngineChanges;
import dev.berth.platform.engine.PrometheusCanaryAnalysis;
import dev.berth.platform.engine.RolloutStatus;
import dev.berth.platform.model.Labels;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code step: deploy}: applies {@code inputs.manifests} through the {@link Engine} and follows every rollout it
 * started until it is complete, as {@code kubectl rollout status} would. It first asks the engine for a dry run: when
 * every object would be unchanged — the cluster already runs these digests with this configuration — nothing is
 * applied and the step is skipped. A rollout the engine gives up on (the core's automatic rollback, a progress
 * deadline) fails the step with the engine's reason.
 */
final class DeployStep implements Step {

    @Override
    public Outcome run(StageContext context) throws Exception {
        Path manifests = context.input("manifests");
        String namespace = context.with("namespace", "berth");
        List<HasMetadata> objects = ManifestsStep.read(Files.readString(manifests), manifests.toString(), context.engineName());
        Engine engine = context.engine();

        context.say("dry run: what would change");
        List<ApplyResult> preview = engine.apply(copy(objects, context.engineName()), namespace, true);
        preview.forEach(r -> context.log().println("  (dry run) " + r.line()));
        if (preview.stream().allMatch(r -> r.action() == ApplyResult.Action.UNCHANGED)) {
            List<Deployment> live = deployments(engine, objects, namespace);
            for (Deployment d : live) {
                String state = rollout(engine, d).message();
                context.log().println("  " + state);
            }
            return Outcome.skipped("nothing changed: all " + objects.size() + " objects are deployed as rendered (images "
                    + String.join(", ", ManifestsStep.images(objects).stream().map(DeployStep::shortRef).toList()) + ")");
        }

        Map<String, Long> before = new LinkedHashMap<>();
        for (Deployment d : deployments(engine, objects, namespace)) {
            before.put(d.getMetadata().getName(), revision(engine, d));
        }
        List<ApplyResult> applied = engine.apply(objects, namespace, false);
        applied.forEach(r -> context.say(r.line()));

        List<String> changed = new ArrayList<>();
        for (ApplyResult r : applied) {
            if (r.action() != ApplyResult.Action.UNCHANGED && (r.kind().equals("Deployment") || r.kind().equals("StatefulSet"))) {
                changed.add(r.kind() + "/" + r.name());
            }
        }
        List<String> summary = new ArrayList<>();
        for (String kn : changed) {
            String kind = kn.substring(0, kn.indexOf('/'));
            String name = kn.substring(kn.indexOf('/') + 1);
            String ns = namespaceOf(objects, kind, name, namespace);
            if (kind.equals("Deployment")) {
                Deployment done = followRollout(context, engine, ns, name);
                long revision = revision(engine, done);
                long previous = before.getOrDefault(name, 0L);
                context.state().deployed(new RunState.Deployed(ns, name, revision, previous,
                        done.getSpec().getTemplate().getSpec().getContainers().stream().map(Container::getImage).toList()));
                summary.add(name + " → revision " + revision);
            } else {
                followStatefulSet(context, engine, ns, name);
                summary.add(name + " ready");
            }
        }
        long unchanged = applied.stream().filter(r -> r.action() == ApplyResult.Action.UNCHANGED).count();
        return Outcome.succeeded((summary.isEmpty() ? "configuration applied" : String.join(", ", summary))
                + " (" + (applied.size() - unchanged) + " applied, " + unchanged + " unchanged)");
    }

    static Deployment followRollout(StageContext context, Engine engine, String ns, String name) throws InterruptedException {
        if (!engine.rollsBackItself()) {
            // on a cluster Berth supervises: a deadline exceeded or a crash-looping new revision is rolled back here
            // with BERTH_ANALYSIS_PROMETHEUS_URL (the cluster's Prometheus), a Deployment's canary thresholds are judged too
            String prometheus = context.environment().get("BERTH_ANALYSIS_PROMETHEUS_URL");
            RolloutSupervisor.Verdict verdict = new RolloutSupervisor(engine, RolloutSupervisor.DEFAULT_CRASH_LOOP_RESTARTS,
                    prometheus == null || prometheus.isBlank() ? null
                            : new PrometheusCanaryAnalysis(java.net.URI.create(prometheus), PrometheusCanaryAnalysis.SERVICE))
                    .supervise(ns, name, Duration.ofHours(1), context::say);
            switch (verdict.outcome()) {
                case COMPLETE -> {
                    Deployment done = engine.<Deployment>get(ResourceKind.DEPLOYMENT, ns, name)
                            .orElseThrow(() -> new StepFailedException("deployment " + ns + "/" + name + " disappeared after its rollout"));
                    awaitOldReplicasStopped(context, engine, done);
                    return done;
                }
                case ROLLED_BACK -> {
                    context.state().rolledBack(name + ": " + verdict.reason());
                    throw new StepFailedException("deployment \"" + name + "\" was rolled back automatically: " + verdict.reason());
                }
                default -> throw new StepFailedException("deployment \"" + name + "\": " + verdict.reason());
            }
        }
        String last = null;
        // re-read on every change of the Deployment or its ReplicaSets (the engine's watch), at the latest every 5 s
        try (EngineChanges changes = EngineChanges.watch(engine, ns, ResourceKind.DEPLOYMENT, ResourceKind.REPLICASET)) {
            while (true) {
                Deployment d = engine.<Deployment>get(ResourceKind.DEPLOYMENT, ns, name)
                        .orElseThrow(() -> new StepFailedException("deployment " + ns + "/" + name + " disappeared during its rollout"));
                RolloutStatus status = rollout(engine, d);
                if (!status.message().equals(last)) {
                    context.say(status.message());
                    last = status.message();
                }
                if (status.failed()) {
                    context.state().rolledBack(name + ": " + status.message());
                    throw new StepFailedException(status.message());
                }
                if (status.done()) {
                    awaitOldReplicasStopped(context, engine, d);
                    return d;
                }
                changes.await(FALLBACK_WAKE);
            }
        }
    }

    /**
     * A rollout is complete (as {@code kubectl rollout status} says) once the old ReplicaSets are scaled to 0, but their
     * pods are still terminating then: through their shutdown delay they answer requests on connections they already
     * had (a client's kept-alive connection through a Service's kernel path, as through kube-proxy). What follows a
     * deploy — the smoke test, the next stage — must meet the new revision only, so this waits until no pod of the
     * Deployment is terminating, for at most its termination grace period and {@link #STOP_MARGIN}; after that it says
     * which pods are still there and goes on (a pod on a lost node can stay Terminating for minutes).
     */
    static void awaitOldReplicasStopped(StageContext context, Engine engine, Deployment d) throws InterruptedException {
        String ns = d.getMetadata().getNamespace();
        Long grace = d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        long deadline = System.nanoTime() + Duration.ofSeconds(grace == null ? 30 : grace).plus(STOP_MARGIN).toNanos();
        String last = null;
        try (EngineChanges changes = EngineChanges.watch(engine, ns, ResourceKind.POD)) {
            while (true) {
                List<String> stopping = terminating(engine, d);
                if (stopping.isEmpty()) {
                    return;
                }
                String line = "deployment \"" + d.getMetadata().getName() + "\": waiting for " + stopping.size() + " old replica"
                        + (stopping.size() == 1 ? "" : "s") + " to stop (" + String.join(", ", stopping) + ")";
                if (!line.equals(last)) {
                    context.say(line);
                    last = line;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    context.say("deployment \"" + d.getMetadata().getName() + "\": " + String.join(", ", stopping)
                            + " still terminating after the grace period; going on (requests may still reach them)");
                    return;
                }
                changes.await(Duration.ofNanos(Math.min(left, FALLBACK_WAKE.toNanos())));
            }
        }
    }

    /** How long past its pods' termination grace period a deploy waits for them to be gone. */
    private static final Duration STOP_MARGIN = Duration.ofSeconds(30);

    private static List<String> terminating(Engine engine, Deployment d) {
        return engine.<Pod>list(ResourceKind.POD, d.getMetadata().getNamespace(), null).stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() != null)
                .filter(p -> Labels.matches(d.getSpec().getSelector(), p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels()))
                .map(p -> p.getMetadata().getName()).sorted().toList();
    }

    /** The longest a follower waits without a watch event (a watch the server closed sends none). */
    private static final Duration FALLBACK_WAKE = Duration.ofSeconds(5);

    private static void followStatefulSet(StageContext context, Engine engine, String ns, String name) throws InterruptedException {
        String last = null;
        try (EngineChanges changes = EngineChanges.watch(engine, ns, ResourceKind.STATEFULSET)) {
            while (true) {
                StatefulSet s = engine.<StatefulSet>get(ResourceKind.STATEFULSET, ns, name)
                        .orElseThrow(() -> new StepFailedException("statefulset " + ns + "/" + name + " disappeared during its rollout"));
                int want = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
                int ready = s.getStatus() == null || s.getStatus().getReadyReplicas() == null ? 0 : s.getStatus().getReadyReplicas();
                String line = "statefulset \"" + name + "\": " + ready + " of " + want + " replicas ready";
                if (!line.equals(last)) {
                    context.say(line);
                    last = line;
                }
                if (ready >= want) {
                    return;
                }
                changes.await(FALLBACK_WAKE);
            }
        }
    }

    static RolloutStatus rollout(Engine engine, Deployment d) {
        List<ReplicaSet> owned = engine.<ReplicaSet>list(ResourceKind.REPLICASET, d.getMetadata().getNamespace(), null).stream()
                .filter(rs -> Owners.isOwnedBy(rs, d)).toList();
        return RolloutStatus.of(d, owned);
    }

    /** The Deployment's current revision: its newest ReplicaSet's {@code deployment.kubernetes.io/revision} (0 = none yet). */
    static long revision(Engine engine, Deployment d) {
        return engine.<ReplicaSet>list(ResourceKind.REPLICASET, d.getMetadata().getNamespace(), null).stream()
                .filter(rs -> Owners.isOwnedBy(rs, d)).mapToLong(DeploymentPlanner::revision).max().orElse(0);
    }

    private static List<Deployment> deployments(Engine engine, List<HasMetadata> objects, String namespace) {
        List<Deployment> live = new ArrayList<>();
        for (HasMetadata o : objects) {
            if (o instanceof Deployment) {
                String ns = o.getMetadata().getNamespace() == null ? namespace : o.getMetadata().getNamespace();
                engine.<Deployment>get(ResourceKind.DEPLOYMENT, ns, o.getMetadata().getName()).ifPresent(live::add);
            }
        }
        return live;
    }

    private static String namespaceOf(List<HasMetadata> objects, String kind, String name, String fallback) {
        return objects.stream().filter(o -> o.getKind().equals(kind) && o.getMetadata().getName().equals(name))
                .map(o -> o.getMetadata().getNamespace()).filter(n -> n != null).findFirst().orElse(fallback);
    }

    /** The engine may fill in defaults on what it is given: the dry run gets its own copy. */
    private static List<HasMetadata> copy(List<HasMetadata> objects, String engine) {
        return ManifestsStep.read(String.join("", objects.stream().map(ManifestsStep.SERIALIZATION::asYaml).toList()), "manifests", engine);
    }

    /** repo@sha256:0123456789ab… → repo@sha256:0123456789ab (12 hex digits, as registries abbreviate). */
    static String shortRef(String image) {
        int at = image.indexOf("@sha256:");
        return at < 0 ? image : image.substring(image.lastIndexOf('/', at) + 1, Math.min(image.length(), at + 8 + 12));
    }
}
