package dev.berth.platform.cluster;

import dev.berth.platform.config.CoreConfig;
import dev.berth.platform.scheduler.Scheduler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jboss.logging.Logger;

/**
 * Runs the {@link SecondaryScheduler} when the core starts with {@code berth.mode=kubernetes-scheduler}: the cluster is
 * the one the pod runs in (its service account) or the kubeconfig's current context, chosen the kubectl way.
 */
@Singleton
public class ClusterSchedulerService {

    private static final Logger LOG = Logger.getLogger(ClusterSchedulerService.class);

    private final CoreConfig config;
    private final MeterRegistry metrics;
    private KubernetesClient client;
    private SecondaryScheduler scheduler;

    public ClusterSchedulerService(CoreConfig config, MeterRegistry metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent ignored) {
        if (config.mode() != CoreConfig.Mode.KUBERNETES_SCHEDULER) {
            return;
        }
        CoreConfig.ClusterScheduler settings = config.scheduler();
        String identity = settings.identity().orElseGet(ClusterSchedulerService::hostName);
        client = new KubernetesClientBuilder().build();
        SecondaryScheduler.Options options = SecondaryScheduler.Options.defaults(settings.leaseNamespace(), identity)
                .withSchedulerName(settings.name()).withBinders(settings.binders());
        scheduler = new SecondaryScheduler(client, Scheduler.withDefaults(System.nanoTime()), options, new SchedulerMetrics(metrics)).start();
        LOG.infof("secondary scheduler %s started on %s for pods with schedulerName %s (Lease %s/berth-scheduler)", identity,
                client.getMasterUrl(), settings.name(), settings.leaseNamespace());
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (scheduler != null) {
            scheduler.close();
        }
        if (client != null) {
            client.close();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "berth-scheduler-" + ProcessHandle.current().pid();
        }
    }
}
