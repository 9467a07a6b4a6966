package dev.berth.platform.apiserver.defaults;

import static dev.berth.platform.apiserver.defaults.AppsV1Defaults.empty;
import static dev.berth.platform.apiserver.defaults.PodDefaults.orEmpty;

import io.fabric8.kubernetes.api.model.ClientIPConfig;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.SessionAffinityConfig;
import java.util.Set;

/**
 * core/v1's Service and Secret defaults ({@code SetDefaults_Service}, {@code SetDefaults_Secret}). What upstream's
 * service REST storage sets beside the scheme's defaults (clusterIP(s), ipFamilies, ipFamilyPolicy, nodePorts) comes
 * from its IP and port allocators, which Berth does not run: those fields stay unset. Stateless.
 */
public final class ServiceDefaults {

    /** {@code DefaultClientIPServiceAffinitySeconds}: three hours. */
    static final int CLIENT_IP_TIMEOUT_SECONDS = 10800;

    private ServiceDefaults() {}

    /**
     * sessionAffinity None (and then no sessionAffinityConfig), ClientIP's timeout 10800 s, type ClusterIP, ports'
     * protocol TCP and targetPort = port when unset (or 0 or ""), externalTrafficPolicy Cluster when reachable from
     * outside (NodePort, LoadBalancer, externalIPs), internalTrafficPolicy Cluster for ClusterIP, NodePort and
     * LoadBalancer, allocateLoadBalancerNodePorts true for LoadBalancer.
     */
    public static void setDefaultsService(Service svc) {
        if (svc.getSpec() == null) {
            svc.setSpec(new ServiceSpec());
        }
        ServiceSpec spec = svc.getSpec();
        if (empty(spec.getSessionAffinity())) {
            spec.setSessionAffinity("None");
        }
        if ("None".equals(spec.getSessionAffinity())) {
            spec.setSessionAffinityConfig(null);
        }
        if ("ClientIP".equals(spec.getSessionAffinity())) {
            SessionAffinityConfig config = spec.getSessionAffinityConfig();
            if (config == null || config.getClientIP() == null || config.getClientIP().getTimeoutSeconds() == null) {
                spec.setSessionAffinityConfig(new SessionAffinityConfig(new ClientIPConfig(CLIENT_IP_TIMEOUT_SECONDS)));
            }
        }
        if (empty(spec.getType())) {
            spec.setType("ClusterIP");
        }
        for (ServicePort p : orEmpty(spec.getPorts())) {
            if (empty(p.getProtocol())) {
                p.setProtocol("TCP");
            }
            IntOrString target = p.getTargetPort();
            if (target == null || (target.getIntVal() == null && empty(target.getStrVal()))
                    || (target.getIntVal() != null && target.getIntVal() == 0)) {
                p.setTargetPort(new IntOrString(p.getPort()));
            }
        }
        if (externallyAccessible(spec) && empty(spec.getExternalTrafficPolicy())) {
            spec.setExternalTrafficPolicy("Cluster");
        }
        if (spec.getInternalTrafficPolicy() == null && Set.of("ClusterIP", "NodePort", "LoadBalancer").contains(spec.getType())) {
            spec.setInternalTrafficPolicy("Cluster");
        }
        if ("LoadBalancer".equals(spec.getType()) && spec.getAllocateLoadBalancerNodePorts() == null) {
            spec.setAllocateLoadBalancerNodePorts(true);
        }
    }

    /** Upstream's {@code service.ExternallyAccessible}: LoadBalancer, NodePort, or ClusterIP with external IPs. */
    private static boolean externallyAccessible(ServiceSpec spec) {
        return "LoadBalancer".equals(spec.getType()) || "NodePort".equals(spec.getType())
                || ("ClusterIP".equals(spec.getType()) && spec.getExternalIPs() != null && !spec.getExternalIPs().isEmpty());
    }

    /** {@code SetDefaults_Secret}: type Opaque. */
    public static void setDefaultsSecret(Secret secret) {
        if (empty(secret.getType())) {
            secret.setType("Opaque");
        }
    }
}
