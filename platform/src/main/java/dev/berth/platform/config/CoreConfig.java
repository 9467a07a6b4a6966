package dev.berth.platform.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code berth.*}: the core's configuration (application.properties, env {@code BERTH_...}). */
@ConfigMapping(prefix = "berth")
public interface CoreConfig {

    /**
     * {@code local} (the default): the local engine runs replicas on this machine. {@code kubernetes-scheduler}: no local
     * engine; the core is the secondary scheduler of the cluster it runs in (k8s/platform).
     */
    @WithDefault("local")
    Mode mode();

    enum Mode {
        LOCAL, KUBERNETES_SCHEDULER
    }

    /** The secondary scheduler ({@code mode=kubernetes-scheduler}). */
    ClusterScheduler scheduler();

    interface ClusterScheduler {
        /** Pods whose {@code spec.schedulerName} is this are placed by Berth. */
        @WithDefault("berth")
        String name();

        /** This replica's name in the election's Lease (the pod name, from the downward API); the host name if unset. */
        Optional<String> identity();

        @WithDefault("berth-system")
        String leaseNamespace();

        /** Concurrent Binding requests. */
        @WithDefault("16")
        int binders();
    }

    /** Where the store, tokens, layer cache, replica directories and logs live. */
    @WithDefault("${user.home}/.berth/core")
    Path stateDir();

    Auth auth();

    /** The virtual nodes of the local engine, like a kind cluster's. */
    List<NodeSpec> nodes();

    /** How nodes that do not set their own cpu/memory are sized: from this machine. */
    NodeDefaults nodeDefaults();

    interface NodeDefaults {
        /** Kept back for the core and the machine's other processes (kubelet's system-reserved + kube-reserved). */
        @WithDefault("500m")
        String reservedCpu();

        /** The core (384 MiB heap and the rest of the JVM) and the OS; raise it when Elasticsearch or Prometheus share the machine. */
        @WithDefault("1Gi")
        String reservedMemory();

        /** Multiplies what is left before it is shared out; above 1.0 the scheduler places more than the machine holds. */
        @WithDefault("1.0")
        double overcommit();
    }

    Registry registry();

    Images images();

    Limits limits();

    Runtime runtime();

    Proxy proxy();

    Analysis analysis();

    Autoscaler autoscaler();

    Logs logs();

    Streams streams();

    ApiServer apiserver();

    /** The Kubernetes API over TLS, beside the plain-HTTP port (kubectl sends tokens only over TLS). */
    interface ApiServer {
        /** 0 picks a free port. */
        @WithDefault("7443")
        int securePort();
    }

    /**
     * Caps on long-lived API streams, each holding a connection and (for a log follow) a worker thread: beyond them a
     * new watch or follow is refused with 429; closing one frees its slot.
     */
    interface Streams {
        @WithDefault("500")
        int maxWatches();

        /** Per token (its name in the token file). */
        @WithDefault("50")
        int maxWatchesPerUser();

        @WithDefault("64")
        int maxFollows();

        @WithDefault("16")
        int maxFollowsPerUser();

        /**
         * How many recent changes a watch can resume from (the API's watch cache); a watch from an older
         * resourceVersion is answered 410 Expired and the client lists again.
         */
        @WithDefault("20000")
        int watchCacheSize();
    }

    interface Logs {
        /** Where the log shipper sends replica logs; without it nothing is shipped ({@code berth logs} still reads the files). */
        Optional<java.net.URI> elasticsearchUrl();

        /** Daily indices are named this plus the UTC day of the line's {@code @timestamp}: berth-logs-2026.11.22. */
        @WithDefault("berth-logs-")
        String indexPrefix();

        /** A bulk request is sent at this many documents, or {@link #batchBytes()}, or after {@link #flushInterval()}. */
        @WithDefault("2000")
        int batchDocuments();

        @WithDefault("4194304")
        long batchBytes();

        @WithDefault("1s")
        Duration flushInterval();

        @WithDefault("2")
        int concurrentRequests();

        /** Backpressure: no more lines are read while this many documents await Elasticsearch's acknowledgement. */
        @WithDefault("10000")
        int maxInFlight();

        /** How often log files are checked for new lines and the checkpoint file is written. */
        @WithDefault("200ms")
        Duration pollInterval();
    }

    interface Autoscaler {
        /** How often each HorizontalPodAutoscaler measures and decides (kube-controller-manager's default: 15s). */
        @WithDefault("15s")
        Duration syncPeriod();
    }

    interface Analysis {
        /** The Prometheus that scrapes the core, for canary analysis; without one the proxy's own counters judge. */
        Optional<java.net.URI> prometheusUrl();
    }

    interface Auth {
        /** Lines of {@code <token> <role> [name]}; roles viewer, deployer, admin. Defaults to stateDir/tokens. */
        Optional<Path> tokensFile();

        /** Where the core writes an admin token (0600) for the CLI at start; none when unset. */
        Optional<Path> adminTokenFile();

        /** Where the core writes a discovery token (0600) for Prometheus' service discovery; none when unset. */
        Optional<Path> discoveryTokenFile();
    }

    interface NodeSpec {
        String name();

        @WithDefault("zone-a")
        String zone();

        /** Allocatable cpu; unset, the node gets its share of the machine ({@link NodeDefaults}). */
        Optional<String> cpu();

        /** Allocatable memory; unset, the node gets its share of the machine ({@link NodeDefaults}). */
        Optional<String> memory();

        @WithDefault("110")
        int maxPods();

        Map<String, String> labels();

        /** {@code key=value:Effect} or {@code key:Effect}. */
        Optional<List<String>> taints();
    }

    interface Registry {
        /** Registries reached over plain HTTP (the local docker-registry). */
        @WithDefault("127.0.0.1:5000,localhost:5000")
        List<String> insecure();
    }

    /** What one image layer may cost; a layer over any limit fails the pull (ErrImagePull) and nothing of it is kept. */
    interface Images {
        /** Compressed, as downloaded. */
        @WithDefault("1G")
        io.quarkus.runtime.configuration.MemorySize maxLayerSize();

        /** Uncompressed (the layer's tar stream). */
        @WithDefault("4G")
        io.quarkus.runtime.configuration.MemorySize maxLayerUnpackedSize();

        /** Files, directories and links in one layer. */
        @WithDefault("200000")
        long maxLayerEntries();
    }

    interface Limits {
        @WithDefault("100")
        int maxReplicas();

        @WithDefault("2000")
        int maxEvents();
    }

    interface Runtime {
        /** The JVM that runs Java images' application layers (the core's own, by default). */
        Optional<Path> javaHome();

        /**
         * Class-data archives per image digest and JVM (AppCDS, or the AOT cache on JDK 25+): the first start of an image
         * writes one, later starts use it. See {@code runtime.ClassDataArchives}.
         */
        @WithDefault("true")
        boolean classDataArchives();

        /** First restart back-off; doubles per crash up to {@link #maxBackoff()}, like kubelet's (10s…5m, scaled down). */
        @WithDefault("1s")
        Duration initialBackoff();

        @WithDefault("30s")
        Duration maxBackoff();

        /** Backing-service images that no JVM runs, mapped to embedded runtimes ({@code postgres} → PostgreSQL). */
        @WithDefault("postgres")
        List<String> embeddedPostgresImages();

        /**
         * A container's log is rotated once its current part reaches this size, a Kubernetes quantity (kubelet's
         * {@code containerLogMaxSize}); negative turns rotation off. See {@code runtime.LogRotation}.
         */
        @WithDefault("10Mi")
        String logMaxSize();

        /** Parts of a container's log kept, the current one included (kubelet's {@code containerLogMaxFiles}); at least 2. */
        @WithDefault("5")
        int logMaxFiles();

        /**
         * How often log sizes are checked (kubelet's {@code containerLogMonitorInterval}, 10s there): a replica may write
         * this long past its limit. A check is a stat per file, so the default is short.
         */
        @WithDefault("1s")
        Duration logMonitorInterval();
    }

    interface Proxy {
        /** Fixed listener ports per Service ({@code namespace/name} → port); others get one from {@link #portRangeStart()}. */
        @WithName("ports")
        Map<String, Integer> ports();

        @WithDefault("30000")
        int portRangeStart();

        /**
         * Services on the kernel path where this machine allows it (nftables, root): the kernel forwards their
         * connections and the core carries none of their bytes. Off: the user-space proxy alone.
         */
        @WithDefault("true")
        boolean kernelPath();

        /**
         * HTTP Services on the kernel path too (with {@link #kernelPath()}): their connections go straight to the Ready
         * replicas, and through the user-space proxy only while something needs their requests one by one (a canary,
         * an autoscaler on their request rate). Off: HTTP Services keep the proxy for every request (its per-request
         * metrics and connect retries on all traffic).
         */
        @WithDefault("true")
        boolean kernelPathHttp();
    }
}
