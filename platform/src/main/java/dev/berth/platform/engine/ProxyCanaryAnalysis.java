package dev.berth.platform.engine;

import dev.berth.platform.controller.Canary;
import dev.berth.platform.controller.CanaryAnalysis;
import dev.berth.platform.controller.DeploymentPlanner;
import dev.berth.platform.proxy.RequestStats;
import dev.berth.platform.proxy.ServiceProxies;
import dev.berth.platform.proxy.ServiceProxy;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;

/**
 * Canary analysis without Prometheus: the Service proxies' own counters of the canary revision — requests and
 * server errors since the canary started (the proxy keeps no latency per revision in memory, so p99 is not
 * judged, and the verdict says so). Thread-safe.
 */
public final class ProxyCanaryAnalysis implements CanaryAnalysis {

    private final ServiceProxies proxies;

    public ProxyCanaryAnalysis(ServiceProxies proxies) {
        this.proxies = proxies;
    }

    @Override
    public Canary.Verdict analyse(Deployment d, ReplicaSet canary, Canary.Settings settings, Instant since, Instant now) {
        String revision = DeploymentPlanner.hashOf(canary);
        long requests = 0;
        long errors = 0;
        for (ServiceProxy proxy : proxies.all()) {
            RequestStats stats = proxy.requestStats().get(revision);
            if (stats != null) {
                requests += stats.requests();
                errors += stats.serverErrors();
            }
        }
        return CanaryAnalysis.judge("no Prometheus configured, the proxy's counters since the canary started", requests, errors, null, settings);
    }
}
