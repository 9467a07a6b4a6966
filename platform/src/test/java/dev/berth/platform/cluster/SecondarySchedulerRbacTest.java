package dev.berth.platform.cluster;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.scheduler.Scheduler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * k8s/platform/rbac.yaml grants the scheduler exactly what it calls: the scheduler runs a whole life (election, caches,
 * a binding, a FailedScheduling event, release of the Lease) against the mock server with its own user agent, every
 * request it made is turned into the RBAC (apiGroup, resource, verb) it needs, and the two sets must be equal.
 */
@EnableKubernetesMockClient(crud = true)
class SecondarySchedulerRbacTest {

    static final String AGENT = "berth-scheduler-under-rbac-test";
    static final Pattern PATH = Pattern.compile("^/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/([^/]+))?/([^/?]+)(?:/([^/?]+))?(?:/([^/?]+))?(?:\\?(.*))?$");

    KubernetesClient client;
    KubernetesMockServer server;

    /** apiGroup|resource|verb, with where it was asked: {@code cluster} for every namespace, else the namespace. */
    record Permission(String group, String resource, String verb) implements Comparable<Permission> {
        @Override
        public int compareTo(Permission o) {
            return toString().compareTo(o.toString());
        }
    }

    static Permission permission(RecordedRequest r, Set<String> namespaces) {
        Matcher m = PATH.matcher(r.getPath());
        assertThat(m.matches()).as("an API path: %s", r.getPath()).isTrue();
        String group = m.group(1) == null ? "" : m.group(1);
        String resource = m.group(3);
        String name = m.group(4);
        String sub = m.group(5);
        String query = m.group(6) == null ? "" : m.group(6);
        namespaces.add(m.group(2) == null ? "(all)" : m.group(2));
        String verb = switch (r.getMethod()) {
            case "GET" -> name != null ? "get" : query.contains("watch=true") ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name != null ? "delete" : "deletecollection";
            default -> throw new AssertionError("unexpected method " + r.getMethod());
        };
        return new Permission(group, sub == null ? resource : resource + "/" + sub, verb);
    }

    static Set<Permission> granted(List<PolicyRule> rules) {
        Set<Permission> out = new TreeSet<>();
        for (PolicyRule rule : rules) {
            for (String g : rule.getApiGroups()) {
                for (String res : rule.getResources()) {
                    for (String v : rule.getVerbs()) {
                        out.add(new Permission(g, res, v));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void theRbacManifestGrantsExactlyTheVerbsTheSchedulerUses() throws Exception {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-a").endMetadata().withNewSpec().endSpec()
                .withNewStatus().addToAllocatable("cpu", new Quantity("1")).addToAllocatable("memory", new Quantity("1Gi"))
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
        for (String[] p : new String[][] {{"fits", "500m"}, {"too-big", "2"}}) {
            client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName(p[0]).withNamespace("shop").endMetadata()
                    .withNewSpec().withSchedulerName("berth").addNewContainer().withName("c").withImage("i@sha256:1").withNewResources()
                    .addToRequests("cpu", new Quantity(p[1])).endResources().endContainer().endSpec().build()).create();
        }
        KubernetesClient own = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration()).withUserAgent(AGENT).build()).build();
        SecondaryScheduler scheduler = new SecondaryScheduler(own, Scheduler.withDefaults(1),
                SecondaryScheduler.Options.defaults("berth-system", "berth-scheduler-0")
                        .withElectionTimings(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200)),
                new SchedulerMetrics(new SimpleMeterRegistry())).start();
        List<RecordedRequest> requests = new ArrayList<>();
        try {
            await().atMost(10, SECONDS).until(() -> {
                drain(requests);
                return requests.stream().anyMatch(r -> r.getPath().contains("/bindings"))
                        && requests.stream().anyMatch(r -> r.getPath().contains("/events"))
                        && requests.stream().filter(r -> r.getPath().contains("/leases/")).count() >= 2; // acquired and renewed
            });
        } finally {
            scheduler.close(); // releases the Lease
            own.close();
        }
        drain(requests);

        Set<String> leaseNamespaces = new TreeSet<>();
        Set<String> otherNamespaces = new TreeSet<>();
        Set<Permission> usedInCluster = new TreeSet<>();
        Set<Permission> usedOnLease = new TreeSet<>();
        for (RecordedRequest r : requests) {
            if (r.getPath().startsWith("/apis/coordination.k8s.io/")) {
                usedOnLease.add(permission(r, leaseNamespaces));
            } else {
                usedInCluster.add(permission(r, otherNamespaces));
            }
        }
        List<HasMetadata> rbac = new ArrayList<>();
        KubernetesSerialization json = new KubernetesSerialization();
        for (String doc : Files.readString(Path.of("..", "k8s", "platform", "rbac.yaml")).split("(?m)^---$")) {
            rbac.add(json.unmarshal(doc, HasMetadata.class));
        }
        ClusterRole clusterRole = rbac.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast).findFirst().orElseThrow();
        Role role = rbac.stream().filter(Role.class::isInstance).map(Role.class::cast).findFirst().orElseThrow();

        assertThat(usedInCluster).as("requests across namespaces (%s)", otherNamespaces).isNotEmpty();
        assertThat(granted(clusterRole.getRules())).as("ClusterRole berth-scheduler").containsExactlyElementsOf(usedInCluster);
        assertThat(leaseNamespaces).as("the election stays in its own namespace").containsExactly("berth-system");
        assertThat(granted(role.getRules())).as("Role berth-scheduler-election (namespace berth-system)").containsExactlyElementsOf(usedOnLease);
    }

    void drain(List<RecordedRequest> into) throws InterruptedException {
        RecordedRequest r;
        while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            if (AGENT.equals(r.getHeader("User-Agent"))) {
                into.add(r);
            }
        }
    }
}
