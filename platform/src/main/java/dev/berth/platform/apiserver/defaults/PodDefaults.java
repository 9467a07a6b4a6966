package dev.berth.platform.apiserver.defaults;

import static dev.berth.platform.apiserver.defaults.AppsV1Defaults.empty;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * core/v1's defaults for a pod spec and everything in it ({@code pkg/apis/core/v1/defaults.go}, walked as
 * {@code zz_generated.defaults.go} walks {@code PodSpec}): the spec, every container (init and ephemeral too), their
 * ports, probes, lifecycle hooks and env, and the volumes ({@link VolumeDefaults}). Stateless.
 */
public final class PodDefaults {

    private PodDefaults() {}

    /**
     * {@code SetDefaults_Pod}, then the spec's: requests default to limits per container (so a pod's requests equal
     * what the scheduler already assumed), enableServiceLinks true, and under hostNetwork hostPort = containerPort.
     * Only a Pod gets these, not a template (upstream keeps templates' defaults stable across upgrades).
     */
    public static void setDefaultsPod(Pod pod) {
        if (pod.getSpec() == null) {
            pod.setSpec(new PodSpec());
        }
        PodSpec spec = pod.getSpec();
        requestsFromLimits(spec.getContainers());
        requestsFromLimits(spec.getInitContainers());
        if (spec.getEnableServiceLinks() == null) {
            spec.setEnableServiceLinks(true);
        }
        if (Boolean.TRUE.equals(spec.getHostNetwork())) {
            hostNetworkPorts(spec.getContainers());
            hostNetworkPorts(spec.getInitContainers());
        }
        setDefaultsPodSpec(spec);
    }

    /** A template's spec gets {@link #setDefaultsPodSpec}'s defaults (none of {@link #setDefaultsPod}'s). */
    public static void setDefaultsPodTemplate(PodTemplateSpec template) {
        if (template != null && template.getSpec() != null) {
            setDefaultsPodSpec(template.getSpec());
        }
    }

    /**
     * {@code SetDefaults_PodSpec} (dnsPolicy ClusterFirst, restartPolicy Always, securityContext {},
     * terminationGracePeriodSeconds 30, schedulerName default-scheduler) and the nested types' defaults.
     */
    public static void setDefaultsPodSpec(PodSpec spec) {
        if (empty(spec.getDnsPolicy())) {
            spec.setDnsPolicy("ClusterFirst");
        }
        if (empty(spec.getRestartPolicy())) {
            spec.setRestartPolicy("Always");
        }
        if (spec.getSecurityContext() == null) {
            spec.setSecurityContext(new PodSecurityContext());
        }
        if (spec.getTerminationGracePeriodSeconds() == null) {
            spec.setTerminationGracePeriodSeconds(30L);
        }
        if (empty(spec.getSchedulerName())) {
            spec.setSchedulerName("default-scheduler");
        }
        for (Volume v : orEmpty(spec.getVolumes())) {
            VolumeDefaults.setDefaultsVolume(v);
        }
        for (Container c : orEmpty(spec.getInitContainers())) {
            setDefaultsContainer(c);
        }
        for (Container c : orEmpty(spec.getContainers())) {
            setDefaultsContainer(c);
        }
        for (EphemeralContainer c : orEmpty(spec.getEphemeralContainers())) {
            setDefaultsEphemeralContainer(c);
        }
    }

    /**
     * {@code SetDefaults_Container}: imagePullPolicy Always for {@code :latest} or no tag (and no digest), else
     * IfNotPresent; terminationMessagePath /dev/termination-log; terminationMessagePolicy File. Then its ports
     * (protocol TCP, declared {@code +default="TCP"}), env field references, probes and lifecycle hooks.
     */
    public static void setDefaultsContainer(Container c) {
        if (empty(c.getImagePullPolicy())) {
            c.setImagePullPolicy("latest".equals(ImageTag.of(c.getImage())) ? "Always" : "IfNotPresent");
        }
        if (empty(c.getTerminationMessagePath())) {
            c.setTerminationMessagePath("/dev/termination-log");
        }
        if (empty(c.getTerminationMessagePolicy())) {
            c.setTerminationMessagePolicy("File");
        }
        for (ContainerPort p : orEmpty(c.getPorts())) {
            if (empty(p.getProtocol())) {
                p.setProtocol("TCP");
            }
        }
        env(c.getEnv());
        setDefaultsProbe(c.getLivenessProbe());
        setDefaultsProbe(c.getReadinessProbe());
        setDefaultsProbe(c.getStartupProbe());
        lifecycle(c.getLifecycle());
    }

    /** {@code SetDefaults_EphemeralContainer}: a container's defaults. */
    static void setDefaultsEphemeralContainer(EphemeralContainer c) {
        if (empty(c.getImagePullPolicy())) {
            c.setImagePullPolicy("latest".equals(ImageTag.of(c.getImage())) ? "Always" : "IfNotPresent");
        }
        if (empty(c.getTerminationMessagePath())) {
            c.setTerminationMessagePath("/dev/termination-log");
        }
        if (empty(c.getTerminationMessagePolicy())) {
            c.setTerminationMessagePolicy("File");
        }
        for (ContainerPort p : orEmpty(c.getPorts())) {
            if (empty(p.getProtocol())) {
                p.setProtocol("TCP");
            }
        }
        env(c.getEnv());
        setDefaultsProbe(c.getLivenessProbe());
        setDefaultsProbe(c.getReadinessProbe());
        setDefaultsProbe(c.getStartupProbe());
        lifecycle(c.getLifecycle());
    }

    /** {@code SetDefaults_Probe}: timeoutSeconds 1, periodSeconds 10, successThreshold 1, failureThreshold 3 (0 counts as unset). */
    public static void setDefaultsProbe(Probe p) {
        if (p == null) {
            return;
        }
        if (unset(p.getTimeoutSeconds())) {
            p.setTimeoutSeconds(1);
        }
        if (unset(p.getPeriodSeconds())) {
            p.setPeriodSeconds(10);
        }
        if (unset(p.getSuccessThreshold())) {
            p.setSuccessThreshold(1);
        }
        if (unset(p.getFailureThreshold())) {
            p.setFailureThreshold(3);
        }
        setDefaultsHttpGetAction(p.getHttpGet());
    }

    /** {@code SetDefaults_HTTPGetAction}: path /, scheme HTTP. */
    public static void setDefaultsHttpGetAction(HTTPGetAction get) {
        if (get == null) {
            return;
        }
        if (empty(get.getPath())) {
            get.setPath("/");
        }
        if (empty(get.getScheme())) {
            get.setScheme("HTTP");
        }
    }

    /** {@code SetDefaults_ObjectFieldSelector}: apiVersion v1. */
    public static void setDefaultsObjectFieldSelector(ObjectFieldSelector selector) {
        if (selector != null && empty(selector.getApiVersion())) {
            selector.setApiVersion("v1");
        }
    }

    private static void env(List<EnvVar> env) {
        for (EnvVar e : orEmpty(env)) {
            if (e.getValueFrom() != null) {
                setDefaultsObjectFieldSelector(e.getValueFrom().getFieldRef());
            }
        }
    }

    private static void lifecycle(Lifecycle lifecycle) {
        if (lifecycle == null) {
            return;
        }
        for (LifecycleHandler h : new LifecycleHandler[] {lifecycle.getPostStart(), lifecycle.getPreStop()}) {
            if (h != null) {
                setDefaultsHttpGetAction(h.getHttpGet());
            }
        }
    }

    private static void requestsFromLimits(List<Container> containers) {
        for (Container c : orEmpty(containers)) {
            ResourceRequirements r = c.getResources();
            if (r == null || r.getLimits() == null) {
                continue;
            }
            if (r.getRequests() == null) {
                r.setRequests(new LinkedHashMap<>());
            }
            r.getLimits().forEach((name, limit) -> {
                if (limit != null) { // a null quantity is the validator's to refuse
                    r.getRequests().putIfAbsent(name, new Quantity(limit.getAmount(), limit.getFormat()));
                }
            });
        }
    }

    private static void hostNetworkPorts(List<Container> containers) {
        for (Container c : orEmpty(containers)) {
            for (ContainerPort p : orEmpty(c.getPorts())) {
                if (unset(p.getHostPort())) {
                    p.setHostPort(p.getContainerPort());
                }
            }
        }
    }

    static boolean unset(Integer value) {
        return value == null || value == 0;
    }

    /**
     * The elements of {@code list} to default: none when it is unset, and not its null elements (a {@code null} in a
     * list of objects, which Go's decoding would make a zero value), which are the validator's to refuse.
     */
    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list.stream().filter(java.util.Objects::nonNull).toList();
    }
}
