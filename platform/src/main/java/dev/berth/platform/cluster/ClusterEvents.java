package dev.berth.platform.cluster;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Posts core/v1 Events about cluster objects (what {@code kubectl describe} shows), off the caller's thread like
 * client-go's event broadcaster: a scheduler never waits on an Event, and when the API server falls behind events are
 * dropped (counted), never the bindings.
 */
final class ClusterEvents implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterEvents.class);

    private final KubernetesClient client;
    private final String component;
    private final String instance;
    private final SchedulerMetrics metrics;
    private final ThreadPoolExecutor poster;

    /** @param metrics counts the events dropped when the queue is full; null to count nothing */
    ClusterEvents(KubernetesClient client, String component, String instance, SchedulerMetrics metrics) {
        this.client = client;
        this.component = component;
        this.instance = instance;
        this.metrics = metrics;
        this.poster = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10_000), r -> {
            Thread t = new Thread(r, component + "-events");
            t.setDaemon(true);
            return t;
        }, (r, executor) -> {
            if (metrics != null) {
                metrics.eventDropped();
            }
        });
    }

    void normal(HasMetadata about, String reason, String message) {
        post(about, "Normal", reason, message);
    }

    void warning(HasMetadata about, String reason, String message) {
        post(about, "Warning", reason, message);
    }

    private void post(HasMetadata about, String type, String reason, String message) {
        poster.execute(() -> {
            String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now());
            Event event = new EventBuilder()
                    .withNewMetadata().withNamespace(about.getMetadata().getNamespace())
                    .withName(about.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8)).endMetadata()
                    .withNewInvolvedObject().withApiVersion(about.getApiVersion()).withKind(about.getKind())
                    .withNamespace(about.getMetadata().getNamespace()).withName(about.getMetadata().getName())
                    .withUid(about.getMetadata().getUid()).withResourceVersion(about.getMetadata().getResourceVersion()).endInvolvedObject()
                    .withType(type).withReason(reason).withMessage(message)
                    .withNewSource().withComponent(component).endSource()
                    .withReportingComponent(component).withReportingInstance(instance)
                    .withFirstTimestamp(now).withLastTimestamp(now).withEventTime(new MicroTime(now)).withCount(1)
                    .build();
            try {
                client.v1().events().inNamespace(about.getMetadata().getNamespace()).resource(event).create();
            } catch (KubernetesClientException e) {
                LOG.warnf("event %s %s on %s/%s not posted: %s", type, reason, about.getMetadata().getNamespace(),
                        about.getMetadata().getName(), e.getMessage());
            }
        });
    }

    /** Posts what is queued (at most 5 s), then stops. */
    @Override
    public void close() {
        poster.shutdown();
        try {
            poster.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
