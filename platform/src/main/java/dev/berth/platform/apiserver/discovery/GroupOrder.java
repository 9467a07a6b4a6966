package dev.berth.platform.apiserver.discovery;

import java.util.Comparator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The order kube-apiserver lists API groups and versions in. Clients depend on it: kubectl resolves a name that
 * two groups serve ({@code events}) to the group listed first, and a group's first version is its preferred one.
 */
public final class GroupOrder {

    /**
     * Group priorities ({@code GroupPriorityMinimum}) from upstream's {@code apiVersionPriorities}
     * (pkg/controlplane/apiserver/aggregator.go and its kube-apiserver additions); higher comes first, and a
     * group that is not listed ranks below all of them, as a CRD group (1000) does.
     */
    private static final Map<String, Integer> PRIORITY = Map.ofEntries(
            Map.entry("", 18000),
            Map.entry("apps", 17800),
            Map.entry("events.k8s.io", 17750),
            Map.entry("authentication.k8s.io", 17700),
            Map.entry("authorization.k8s.io", 17600),
            Map.entry("autoscaling", 17500),
            Map.entry("batch", 17400),
            Map.entry("certificates.k8s.io", 17300),
            Map.entry("networking.k8s.io", 17200),
            Map.entry("policy", 17100),
            Map.entry("rbac.authorization.k8s.io", 17000),
            Map.entry("storage.k8s.io", 16800),
            Map.entry("admissionregistration.k8s.io", 16700),
            Map.entry("apiextensions.k8s.io", 16700),
            Map.entry("scheduling.k8s.io", 16600),
            Map.entry("coordination.k8s.io", 16500),
            Map.entry("node.k8s.io", 16300),
            Map.entry("discovery.k8s.io", 16200),
            Map.entry("flowcontrol.apiserver.k8s.io", 16100));

    private static final int UNLISTED = 1000;

    private static final Pattern KUBE_VERSION = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

    /** Groups by descending priority, ties by name (the aggregator's {@code ByGroupPriorityMinimum}). */
    public static final Comparator<String> GROUPS = Comparator
            .comparingInt((String group) -> -PRIORITY.getOrDefault(group, UNLISTED))
            .thenComparing(Comparator.naturalOrder());

    /**
     * Versions within a group, preferred first, as upstream's {@code CompareKubeAwareVersionStrings}: GA before
     * beta before alpha, then the higher major, then the higher minor; versions that are not Kubernetes-like
     * come last, by name.
     */
    public static final Comparator<String> VERSIONS = (a, b) -> {
        Matcher x = KUBE_VERSION.matcher(a);
        Matcher y = KUBE_VERSION.matcher(b);
        boolean kubeA = x.matches();
        boolean kubeB = y.matches();
        if (!kubeA || !kubeB) {
            return kubeA == kubeB ? a.compareTo(b) : (kubeA ? -1 : 1);
        }
        int stability = Integer.compare(stability(y.group(2)), stability(x.group(2)));
        if (stability != 0) {
            return stability;
        }
        int major = Integer.compare(Integer.parseInt(y.group(1)), Integer.parseInt(x.group(1)));
        if (major != 0 || x.group(3) == null) {
            return major;
        }
        return Integer.compare(Integer.parseInt(y.group(3)), Integer.parseInt(x.group(3)));
    };

    private GroupOrder() {}

    private static int stability(String level) {
        if (level == null) {
            return 2;
        }
        return level.equals("beta") ? 1 : 0;
    }
}
