package dev.berth.platform.cli;

import dev.berth.platform.engine.Engine;
import dev.berth.platform.engine.EngineChanges;
import dev.berth.platform.engine.RolloutStatus;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth rollout status deployment/NAME}: what {@code kubectl rollout status} does, and more — exit 1 when the
 * local engine rolled the revision back (kubectl sees the old template Available and says "successfully rolled out"),
 * and on a cluster ({@code --rollback-on-failure}) the rollback Kubernetes does not do by itself. history, undo,
 * pause, resume and restart are kubectl's.
 */
@Command(name = "rollout", description = "Follow the rollout of a Deployment (history, undo, pause, resume, restart: kubectl rollout).",
        subcommands = RolloutCommand.Status.class)
final class RolloutCommand {

    @CommandLine.ParentCommand
    BerthCli root;

    abstract static class Verb implements Callable<Integer> {
        @CommandLine.ParentCommand
        RolloutCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", description = "deployment/NAME (or deployment NAME)")
        String target;

        @Parameters(index = "1", arity = "0..1")
        String second;

        @Option(names = {"-n", "--namespace"}, defaultValue = "default")
        String namespace;

        String name() {
            String[] kn = BerthCli.kindAndName(target, second);
            if (kn[1] == null || ResourceKind.parse(kn[0]).orElse(null) != ResourceKind.DEPLOYMENT) {
                throw new CommandLine.ParameterException(spec.commandLine(), "error: name a deployment: deployment/NAME");
            }
            return kn[1];
        }

        Engine engine() {
            return parent.root.engine();
        }

        java.io.PrintWriter out() {
            return spec.commandLine().getOut();
        }

        static List<ReplicaSet> owned(Engine engine, Deployment d) {
            return engine.<ReplicaSet>list(ResourceKind.REPLICASET, d.getMetadata().getNamespace(), null).stream()
                    .filter(rs -> Owners.isOwnedBy(rs, d)).toList();
        }

        Deployment deployment(Engine engine, String name) {
            return engine.<Deployment>get(ResourceKind.DEPLOYMENT, namespace, name)
                    .orElseThrow(() -> new dev.berth.platform.engine.EngineException(404, "deployments.apps \"" + name + "\" not found"));
        }
    }

    @Command(name = "status", description = "Follow a rollout until it completes; exit 1 if it fails or is rolled back.")
    static final class Status extends Verb {
        @Option(names = {"-w", "--watch"}, negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "keep following (default); --no-watch prints the state once")
        boolean watch;

        @Option(names = "--timeout", defaultValue = "0s", description = "give up after this long (e.g. 5m, 90s); 0s waits forever")
        String timeout;

        @Option(names = "--rollback-on-failure", description = {"on a cluster (--engine kubernetes): roll back to the previous "
                + "revision, with a RolloutRolledBack event, when the rollout exceeds its progress deadline or a new pod crash-loops "
                + "(the local engine does this by itself)"})
        boolean rollbackOnFailure;

        @Option(names = "--analysis-prometheus", defaultValue = "${env:BERTH_ANALYSIS_PROMETHEUS_URL}", description = {"with "
                + "--rollback-on-failure: the cluster's Prometheus; a Deployment with canary annotations has its new revision "
                + "judged on the services' own request metrics and rolled back on a failing verdict (env BERTH_ANALYSIS_PROMETHEUS_URL)"})
        String analysisPrometheus;

        @Override
        public Integer call() throws InterruptedException {
            Engine engine = engine();
            String name = name();
            Duration limit = Durations.parse(timeout);
            if (rollbackOnFailure) {
                if (engine.rollsBackItself()) {
                    spec.commandLine().getErr().println("error: --rollback-on-failure is for --engine kubernetes; the local engine rolls back by itself");
                    return 2;
                }
                var analysis = analysisPrometheus == null || analysisPrometheus.isBlank() ? null
                        : new dev.berth.platform.engine.PrometheusCanaryAnalysis(java.net.URI.create(analysisPrometheus),
                                dev.berth.platform.engine.PrometheusCanaryAnalysis.SERVICE);
                var verdict = new dev.berth.platform.cluster.RolloutSupervisor(engine, dev.berth.platform.cluster.RolloutSupervisor.DEFAULT_CRASH_LOOP_RESTARTS, analysis)
                        .supervise(namespace, name, limit.isZero() ? Duration.ofDays(365) : limit, line -> {
                            out().println(line);
                            out().flush();
                        });
                if (verdict.outcome() == dev.berth.platform.cluster.RolloutSupervisor.Verdict.Outcome.COMPLETE) {
                    return 0;
                }
                spec.commandLine().getErr().println("error: " + verdict.reason());
                return 1;
            }
            Instant deadline = limit.isZero() ? Instant.MAX : Instant.now().plus(limit);
            // re-read on every change of the Deployment or its ReplicaSets (the engine's watch), not on a timer
            try (EngineChanges changes = watch ? EngineChanges.watch(engine, namespace, ResourceKind.DEPLOYMENT, ResourceKind.REPLICASET) : null) {
                return follow(engine, name, deadline, changes);
            }
        }

        private int follow(Engine engine, String name, Instant deadline, EngineChanges changes) throws InterruptedException {
            String last = null;
            while (true) {
                Deployment d = deployment(engine, name);
                RolloutStatus s = RolloutStatus.of(d, owned(engine, d));
                if (!Objects.equals(s.message(), last)) {
                    (s.failed() ? spec.commandLine().getErr() : out()).println(s.failed() ? "error: " + s.message() : s.message());
                    out().flush();
                    last = s.message();
                }
                if (s.done()) {
                    return s.failed() ? 1 : 0;
                }
                if (!watch) {
                    return 0;
                }
                Duration left = deadline == Instant.MAX ? Duration.ofDays(365) : Duration.between(Instant.now(), deadline);
                if (left.isNegative() || !changes.await(left)) { // one read covers every change meanwhile
                    spec.commandLine().getErr().println("error: timed out waiting for the condition");
                    return 1;
                }
            }
        }
    }
}
