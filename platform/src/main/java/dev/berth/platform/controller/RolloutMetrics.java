package dev.berth.platform.controller;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * {@code berth_rollouts_total{namespace, deployment}}: rollouts started (a new or an earlier revision becomes the
 * Deployment's current one), and {@code berth_rollbacks_total{namespace, deployment, reason}}: automatic rollbacks, by
 * their reason in kebab case ({@code crash-looping}, {@code unready}, {@code analysis-failed},
 * {@code progress-deadline-exceeded}), and by hand: {@code manual}, when the template is changed back to an older
 * ReplicaSet's ({@code kubectl rollout undo}), which is also a rollout. Thread-safe.
 */
public final class RolloutMetrics {

    private final MeterRegistry registry;

    public RolloutMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void rolloutStarted(Deployment d) {
        Counter.builder("berth.rollouts").description("Rollouts started, by Deployment")
                .tags("namespace", d.getMetadata().getNamespace(), "deployment", d.getMetadata().getName())
                .register(registry).increment();
    }

    /** @param reason a condition reason such as {@code CrashLooping} */
    public void rolledBack(Deployment d, String reason) {
        Counter.builder("berth.rollbacks").description("Rollbacks, manual or automatic, by Deployment and reason")
                .tags("namespace", d.getMetadata().getNamespace(), "deployment", d.getMetadata().getName(), "reason", kebab(reason))
                .register(registry).increment();
    }

    /** {@code ProgressDeadlineExceeded} → {@code progress-deadline-exceeded}. */
    static String kebab(String reason) {
        return reason.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
