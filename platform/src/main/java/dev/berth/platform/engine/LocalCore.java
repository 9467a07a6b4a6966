package dev.berth.platform.engine;

import dev.berth.platform.api.auth.TokenFile;
import dev.berth.platform.apiserver.GracefulDeletion;
import dev.berth.platform.config.CoreConfig;
import dev.berth.platform.controller.AutoscalerController;
import dev.berth.platform.controller.CanaryAnalysis;
import dev.berth.platform.controller.ControllerLoop;
import dev.berth.platform.controller.ControllerManager;
import dev.berth.platform.controller.DeploymentController;
import dev.berth.platform.controller.EndpointsController;
import dev.berth.platform.controller.GarbageCollector;
import dev.berth.platform.controller.NamespaceController;
import dev.berth.platform.controller.PersistentVolumeClaimBinder;
import dev.berth.platform.controller.ReplicaSetController;
import dev.berth.platform.controller.ServiceAccountController;
import dev.berth.platform.controller.RolloutMetrics;
import dev.berth.platform.controller.SchedulingController;
import dev.berth.platform.controller.StatefulSetController;
import dev.berth.platform.image.ImageStore;
import dev.berth.platform.image.LayerLimits;
import dev.berth.platform.logs.Elasticsearch;
import dev.berth.platform.logs.IndexTemplate;
import dev.berth.platform.logs.LogSearch;
import dev.berth.platform.logs.LogShipper;
import dev.berth.platform.logs.LogSources;
import dev.berth.platform.probe.ProbeCheck;
import dev.berth.platform.proxy.KernelRoutes;
import dev.berth.platform.proxy.ServiceProxies;
import dev.berth.platform.runtime.ContainerRuntime;
import dev.berth.platform.runtime.EmbeddedPostgresRuntime;
import dev.berth.platform.runtime.EnvironmentResolver;
import dev.berth.platform.runtime.ClassDataArchives;
import dev.berth.platform.runtime.HostJvm;
import dev.berth.platform.runtime.JavaImageRuntime;
import dev.berth.platform.runtime.Kubelet;
import dev.berth.platform.runtime.KubeletMetrics;
import dev.berth.platform.runtime.LogFiles;
import dev.berth.platform.runtime.LogRotation;
import dev.berth.platform.runtime.LogRotationPolicy;
import dev.berth.platform.runtime.LogStartOffsets;
import dev.berth.platform.runtime.LogTimes;
import dev.berth.platform.runtime.ShippedLogs;
import dev.berth.platform.runtime.PodDirectories;
import dev.berth.platform.runtime.RetiredLogs;
import dev.berth.platform.runtime.ReplicaLedger;
import dev.berth.platform.runtime.VirtualNodes;
import dev.berth.platform.scheduler.Scheduler;
import dev.berth.platform.store.EventRecorder;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;

/**
 * The local engine, assembled: store → controllers → scheduler → kubelet (runtimes, probes) → proxies. The one
 * place that wires the core together; started after Quarkus is up, stopped (every replica with it) on shutdown.
 */
@Singleton
public class LocalCore {

    private static final Logger LOG = Logger.getLogger(LocalCore.class);

    private final CoreConfig config;
    private final ObjectStore store;
    private final EventRecorder events;
    private final KubernetesSerialization json;
    private final Clock clock;
    private final TokenFile tokens;
    private final ServiceRouting routing;
    private final Kubelet kubelet;
    private final ControllerManager controllers;
    private final ControllerLoop scheduling;
    private final SchedulingController scheduler;
    private final LocalEngine engine;
    private AutoCloseable schedulingWatch;
    private final Elasticsearch elasticsearch;
    private final LogShipper shipper;
    private final LogSearch logSearch;
    private final HostJvm replicaJvm;

    public LocalCore(CoreConfig config, ObjectStore store, EventRecorder events, KubernetesSerialization json, Clock clock,
            TokenFile tokens, Vertx vertx, MeterRegistry metrics) {
        this.config = config;
        this.store = store;
        this.events = events;
        this.json = json;
        this.clock = clock;
        this.tokens = tokens;
        Path state = config.stateDir();
        GracefulDeletion termination = new GracefulDeletion(store, clock);
        // with a shipper, a deleted pod's logs stay until Elasticsearch has every line (the shipper removes them)
        PodDirectories dirs = new PodDirectories(state, config.logs().elasticsearchUrl().isPresent());
        ServiceProxies proxies = new ServiceProxies(vertx, metrics);
        this.routing = new ServiceRouting(store, proxies, config.proxy().ports(), config.proxy().portRangeStart(),
                config.proxy().kernelPath() ? KernelRoutes.open() : Optional.empty(), config.proxy().kernelPathHttp());
        CanaryAnalysis analysis = config.analysis().prometheusUrl().<CanaryAnalysis>map(PrometheusCanaryAnalysis::new)
                .orElseGet(() -> new ProxyCanaryAnalysis(proxies));
        ImageStore images = new ImageStore(state.resolve("images"), new HashSet<>(config.registry().insecure()),
                new LayerLimits(config.images().maxLayerSize().asLongValue(), config.images().maxLayerUnpackedSize().asLongValue(), config.images().maxLayerEntries()));
        HostJvm jvm = HostJvm.of(config.runtime().javaHome().orElse(Path.of(System.getProperty("java.home"))));
        this.replicaJvm = jvm;
        ClassDataArchives archives = new ClassDataArchives(state.resolve("class-data"), jvm, config.runtime().classDataArchives());
        List<ContainerRuntime> runtimes = List.of(
                new EmbeddedPostgresRuntime(new HashSet<>(config.runtime().embeddedPostgresImages()), state.resolve("embedded").resolve("postgres-17"), dirs),
                new JavaImageRuntime(images, dirs, archives, jvm));
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, daemon("kubelet-timer"));
        ExecutorService workers = Executors.newCachedThreadPool(daemon("kubelet-worker"));
        LogStartOffsets logStarts = LogStartOffsets.load(state.resolve("log-start-offsets.json"));
        this.elasticsearch = config.logs().elasticsearchUrl().map(Elasticsearch::new).orElse(null);
        this.shipper = elasticsearch == null ? null : new LogShipper(config.logs(), elasticsearch.client(), new IndexTemplate(elasticsearch.client()),
                new LogSources(state.resolve("pods"), store), logStarts, state.resolve("log-shipper"), clock, metrics);
        // the shipper's durable checkpoint bounds what rotation may release
        ShippedLogs shipped = shipper == null ? ShippedLogs.NO_SHIPPER : shipper;
        LogRotation rotation = new LogRotation(dirs, LogRotationPolicy.of(config.runtime().logMaxSize(), config.runtime().logMaxFiles()), logStarts,
                shipped);
        LogTimes logTimes = new LogTimes(state.resolve("log-times"), logStarts, clock);
        this.kubelet = new Kubelet(store, events, new EnvironmentResolver(store, routing::addressOf), runtimes, new ProbeCheck(vertx, workers), timer, workers,
                routing, config.runtime(), clock, dirs, new KubeletMetrics(metrics), new ReplicaLedger(state), rotation, new RetiredLogs(dirs, shipped), logTimes);
        new WorkloadMetrics(store, metrics).start();
        RolloutMetrics rollouts = new RolloutMetrics(metrics);
        this.controllers = new ControllerManager(store,
                new DeploymentController(store, events, json, clock, analysis, rollouts),
                new ReplicaSetController(store, termination, events, json, clock),
                new StatefulSetController(store, termination, events, json),
                new EndpointsController(store),
                new GarbageCollector(store, termination, clock),
                new NamespaceController(store, termination, clock),
                new AutoscalerController(store, events, new LocalUsage(store, proxies), clock, config.autoscaler().syncPeriod()),
                new ServiceAccountController(store), new PersistentVolumeClaimBinder(store));
        this.scheduler = new SchedulingController(store, Scheduler.withDefaults(System.nanoTime()), events, clock, metrics);
        this.scheduling = new ControllerLoop("scheduler", scheduler);
        this.logSearch = elasticsearch == null ? null : new LogSearch(elasticsearch.client(), config.logs().indexPrefix());
        this.engine = new LocalEngine(store, new LogFiles(dirs, logStarts, logTimes));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    void start(@Observes StartupEvent ignored) {
        if (config.mode() != CoreConfig.Mode.LOCAL) {
            LOG.infof("mode %s: the local engine does not run", config.mode());
            return;
        }
        config.auth().adminTokenFile().ifPresent(tokens::ensureAdminToken);
        config.auth().discoveryTokenFile().ifPresent(f -> tokens.ensureToken(f, TokenFile.PROMETHEUS_USER, List.of()));
        VirtualNodes.register(store, config.nodes(), config.nodeDefaults(), clock);
        NamespaceController.ensureSystemNamespaces(store);
        routing.start();
        schedulingWatch = store.watch(k -> true, e -> scheduler.interestedIn(e).forEach(scheduling::enqueue));
        store.list(dev.berth.platform.model.ResourceKind.POD, null, null).forEach(p -> scheduling.enqueue(dev.berth.platform.model.ObjectKey.of(p)));
        controllers.start();
        kubelet.start();
        if (shipper != null) {
            shipper.start();
            LOG.infof("shipping replica logs to %s", config.logs().elasticsearchUrl().get());
        }
        LOG.infof("local engine started: %d nodes, state in %s; Java images run on JVM %s, class-data archives %s", config.nodes().size(),
                config.stateDir(), replicaJvm, config.runtime().classDataArchives() ? "on" : "off");
    }

    void stop(@Observes ShutdownEvent ignored) {
        LOG.info("stopping every replica");
        for (AutoCloseable c : new AutoCloseable[] {schedulingWatch, scheduling, controllers, kubelet, routing, shipper, elasticsearch}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                LOG.errorf(e, "stopping %s", c);
            }
        }
    }

    @Produces
    @Singleton
    LocalEngine engine() {
        return engine;
    }

    /** Search over the shipped logs, when this core ships them. */
    public java.util.Optional<LogSearch> logSearch() {
        return java.util.Optional.ofNullable(logSearch);
    }

    public ServiceRouting routing() {
        return routing;
    }
}
