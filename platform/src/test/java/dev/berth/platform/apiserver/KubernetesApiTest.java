package dev.berth.platform.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.api.CoreApiProfile;
import dev.berth.platform.api.CoreApiTokens;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.ObjectStore;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes API on the core's port, driven by the fabric8 client as any Kubernetes tool would: objects created,
 * read, listed in pages, replaced with optimistic concurrency, watched from a list's resourceVersion, scaled and
 * deleted; every refusal a Status with kube-apiserver's code and reason, and nothing changed by it.
 */
@QuarkusTest
@TestProfile(CoreApiProfile.class)
class KubernetesApiTest {

    static final String NS = "kube-api";

    @TestHTTPResource("/")
    URL root;

    @Inject
    ObjectStore store;

    private final List<KubernetesClient> clients = new CopyOnWriteArrayList<>();

    private KubernetesClient client(String token) {
        KubernetesClient c = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(root.toString()).withOauthToken(token)
                .withNamespace(NS).withRequestRetryBackoffLimit(0).build()).build();
        clients.add(c);
        return c;
    }

    @BeforeEach
    void namespace() {
        KubernetesClient admin = client(CoreApiTokens.ADMIN);
        if (admin.namespaces().withName(NS).get() == null) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        }
    }

    @AfterEach
    void cleanUp() {
        KubernetesClient admin = client(CoreApiTokens.ADMIN);
        admin.configMaps().inNamespace(NS).delete();
        admin.apps().deployments().inNamespace(NS).delete();
        admin.secrets().inNamespace(NS).delete();
        clients.forEach(KubernetesClient::close);
    }

    private static ConfigMap configMap(String name, Map<String, String> labels) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().addToData("k", "v").build();
    }

    @Test
    void createGetListReplaceDelete() {
        KubernetesClient k = client(CoreApiTokens.DEPLOYER);
        ConfigMap created = k.configMaps().resource(configMap("settings", Map.of("app", "web"))).create();
        assertThat(created.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getResourceVersion()).isNotBlank();

        assertThat(k.configMaps().withName("settings").get().getData()).containsEntry("k", "v");
        k.configMaps().resource(configMap("other", Map.of("app", "db"))).create();
        assertThat(k.configMaps().withLabel("app", "web").list().getItems()).extracting(c -> c.getMetadata().getName()).containsExactly("settings");
        assertThat(k.configMaps().withField("metadata.name", "other").list().getItems()).extracting(c -> c.getMetadata().getName())
                .containsExactly("other");

        created.getData().put("k", "v2");
        ConfigMap replaced = k.configMaps().resource(created).update();
        assertThat(replaced.getData()).containsEntry("k", "v2");
        assertThat(Long.parseLong(replaced.getMetadata().getResourceVersion())).isGreaterThan(Long.parseLong(created.getMetadata().getResourceVersion()));

        // the stale version is refused 409 Conflict and changes nothing
        created.getData().put("k", "stale");
        assertThatThrownBy(() -> k.configMaps().resource(created).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
                    assertThat(e.getStatus().getMessage()).startsWith("Operation cannot be fulfilled on configmaps \"settings\"");
                });
        assertThat(k.configMaps().withName("settings").get().getData()).containsEntry("k", "v2");

        assertThat(k.configMaps().withName("settings").delete()).hasSize(1);
        assertThat(k.configMaps().withName("settings").get()).isNull();
        assertThat(store.get(new ObjectKey(ResourceKind.CONFIGMAP, NS, "settings"))).isEmpty();
    }

    @Test
    void refusalsAreStatusesAndChangeNothing() throws Exception {
        KubernetesClient k = client(CoreApiTokens.DEPLOYER);
        k.configMaps().resource(configMap("exists", Map.of())).create();
        assertThatThrownBy(() -> k.configMaps().resource(configMap("exists", Map.of())).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("AlreadyExists");
                    assertThat(e.getStatus().getMessage()).isEqualTo("configmaps \"exists\" already exists");
                });

        // a Deployment with too many replicas: 422 Invalid, the cause naming the field
        Deployment tooBig = deployment("huge", 101);
        assertThatThrownBy(() -> k.apps().deployments().resource(tooBig).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
                    assertThat(e.getStatus().getMessage()).startsWith("Deployment.apps \"huge\" is invalid: spec.replicas: ");
                    assertThat(e.getStatus().getDetails().getCauses()).extracting(c -> c.getField()).containsExactly("spec.replicas");
                });
        assertThat(store.get(new ObjectKey(ResourceKind.DEPLOYMENT, NS, "huge"))).isEmpty();

        assertThatThrownBy(() -> k.configMaps().inNamespace(NS).withName("missing").edit(c -> c))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));

        // the body's namespace must be the URL's
        HttpResponse<String> mismatch = raw("POST", "/api/v1/namespaces/" + NS + "/configmaps", CoreApiTokens.DEPLOYER,
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\",\"namespace\":\"elsewhere\"}}");
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(mismatch.body()).contains("\"reason\":\"BadRequest\"").contains("does not match the namespace sent on the request");
        assertThat(store.get(new ObjectKey(ResourceKind.CONFIGMAP, "elsewhere", "x"))).isEmpty();
        assertThat(store.get(new ObjectKey(ResourceKind.CONFIGMAP, NS, "x"))).isEmpty();

        assertThat(raw("GET", "/api/v1/namespaces/" + NS + "/nothings", CoreApiTokens.ADMIN, null).statusCode()).isEqualTo(404);
        HttpResponse<String> bad = raw("GET", "/api/v1/pods?fieldSelector=spec.nothing%3Dx", CoreApiTokens.ADMIN, null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("field label not supported: spec.nothing");
    }

    @Test
    void authenticationAndRoles() throws Exception {
        assertThat(raw("GET", "/api/v1/namespaces/" + NS + "/configmaps", null, null).statusCode()).isEqualTo(401);
        assertThat(raw("GET", "/api/v1/namespaces/" + NS + "/configmaps", "not-a-token-of-this-core-0123456789", null).statusCode()).isEqualTo(401);
        client(CoreApiTokens.DEPLOYER).secrets().resource(new SecretBuilder().withNewMetadata().withName("pw").endMetadata()
                .addToStringData("password", "hunter2").build()).create();

        assertThatThrownBy(() -> client(CoreApiTokens.VIEWER).secrets().withName("pw").get())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getStatus().getMessage()).isEqualTo("secrets \"pw\" is forbidden: User \"ops\" cannot get resource \"secrets\" "
                            + "in API group \"\" in the namespace \"" + NS + "\"");
                });
        assertThatThrownBy(() -> client(CoreApiTokens.VIEWER).configMaps().resource(configMap("nope", Map.of())).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        assertThat(client(CoreApiTokens.VIEWER).configMaps().list().getItems()).isEmpty();
        assertThat(client(CoreApiTokens.DISCOVERY).pods().inAnyNamespace().list()).isNotNull();
        assertThatThrownBy(() -> client(CoreApiTokens.DISCOVERY).configMaps().list())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }

    @Test
    void pagesWithLimitAndContinue() {
        KubernetesClient k = client(CoreApiTokens.DEPLOYER);
        for (int i = 0; i < 5; i++) {
            k.configMaps().resource(configMap("page-" + i, Map.of())).create();
        }
        ConfigMapList first = k.configMaps().list(new ListOptionsBuilder().withLimit(2L).build());
        assertThat(first.getItems()).extracting(c -> c.getMetadata().getName()).containsExactly("page-0", "page-1");
        assertThat(first.getMetadata().getRemainingItemCount()).isEqualTo(3L);
        ConfigMapList second = k.configMaps().list(new ListOptionsBuilder().withLimit(2L).withContinue(first.getMetadata().getContinue()).build());
        assertThat(second.getItems()).extracting(c -> c.getMetadata().getName()).containsExactly("page-2", "page-3");
        ConfigMapList last = k.configMaps().list(new ListOptionsBuilder().withLimit(2L).withContinue(second.getMetadata().getContinue()).build());
        assertThat(last.getItems()).extracting(c -> c.getMetadata().getName()).containsExactly("page-4");
        assertThat(last.getMetadata().getContinue()).isNull();
        assertThatThrownBy(() -> k.configMaps().list(new ListOptionsBuilder().withLimit(2L).withContinue("garbage").build()))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(400));
    }

    @Test
    void aWatchFromAListsVersionSeesEveryLaterChangeInOrder() throws Exception {
        KubernetesClient k = client(CoreApiTokens.DEPLOYER);
        k.configMaps().resource(configMap("before", Map.of())).create();
        String listed = k.configMaps().list().getMetadata().getResourceVersion();
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Watch w = k.configMaps().watch(new ListOptionsBuilder().withResourceVersion(listed).build(), new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap c) {
                seen.add(action + " " + c.getMetadata().getName() + " " + c.getData().get("k"));
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            ConfigMap a = k.configMaps().resource(configMap("after", Map.of())).create();
            a.getData().put("k", "changed");
            k.configMaps().resource(a).update();
            k.configMaps().withName("after").delete();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(seen)
                    .containsExactly("ADDED after v", "MODIFIED after changed", "DELETED after changed"));
        }
    }

    @Test
    void anInformerListsThenWatchesAndResyncsItsCache() throws Exception {
        KubernetesClient k = client(CoreApiTokens.DEPLOYER);
        k.configMaps().resource(configMap("a", Map.of())).create();
        k.configMaps().resource(configMap("b", Map.of())).create();
        List<String> changes = new CopyOnWriteArrayList<>();
        List<String> resyncs = new CopyOnWriteArrayList<>();
        try (SharedIndexInformer<ConfigMap> informer = k.configMaps().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap c) {
                changes.add("add " + c.getMetadata().getName());
            }

            @Override
            public void onUpdate(ConfigMap before, ConfigMap after) {
                if (before.getMetadata().getResourceVersion().equals(after.getMetadata().getResourceVersion())) {
                    resyncs.add(after.getMetadata().getName()); // a resync hands the cached object to the handler again
                } else {
                    changes.add("update " + after.getMetadata().getName() + " " + after.getData().get("k"));
                }
            }

            @Override
            public void onDelete(ConfigMap c, boolean finalStateUnknown) {
                changes.add("delete " + c.getMetadata().getName() + (finalStateUnknown ? " (unknown)" : ""));
            }
        }, 500)) {
            await().atMost(Duration.ofSeconds(10)).until(informer::hasSynced);
            assertThat(changes).containsExactlyInAnyOrder("add a", "add b"); // the initial list

            k.configMaps().resource(configMap("c", Map.of())).create();
            ConfigMap a = k.configMaps().withName("a").get();
            a.getData().put("k", "changed");
            k.configMaps().resource(a).update();
            k.configMaps().withName("b").delete();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(changes.subList(2, changes.size()))
                    .containsExactly("add c", "update a changed", "delete b")); // from the watch, in order
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(informer.getStore().list())
                    .extracting(c -> c.getMetadata().getName() + "@" + c.getMetadata().getResourceVersion())
                    .containsExactlyInAnyOrderElementsOf(k.configMaps().list().getItems().stream()
                            .map(c -> c.getMetadata().getName() + "@" + c.getMetadata().getResourceVersion()).toList()));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(resyncs).contains("a", "c")
                    .filteredOn("a"::equals).hasSizeGreaterThanOrEqualTo(2)); // every 500 ms, not once
        }
    }

    @Test
    void aWatchFromAVersionTheCoreNoLongerKnowsIsGone() throws Exception {
        KubernetesClient k = client(CoreApiTokens.DEPLOYER);
        String old = k.configMaps().resource(configMap("old", Map.of())).create().getMetadata().getResourceVersion();
        for (int i = 0; i <= CoreApiProfile.WATCH_CACHE_SIZE; i++) { // pushes the old change out of the watch cache
            ConfigMap c = k.configMaps().withName("old").get();
            c.getData().put("k", "v" + i);
            k.configMaps().resource(c).update();
        }
        CompletableFuture<WatcherException> closed = new CompletableFuture<>();
        try (Watch w = k.configMaps().watch(new ListOptionsBuilder().withResourceVersion(old).build(), new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap c) {
            }

            @Override
            public void onClose(WatcherException cause) {
                closed.complete(cause);
            }
        })) {
            WatcherException cause = closed.get(10, TimeUnit.SECONDS);
            assertThat(cause.isHttpGone()).isTrue();
        }
    }

    @Test
    void aPodNamingAnotherSchedulerWaitsForItsBinding() {
        KubernetesClient admin = client(CoreApiTokens.ADMIN);
        admin.pods().resource(new PodBuilder().withNewMetadata().withName("bound-by-collection").endMetadata().withNewSpec()
                .withSchedulerName("elsewhere").addNewContainer().withName("app").withImage("127.0.0.1:5000/app:1").endContainer().endSpec()
                .build()).create();
        // the core's scheduler places only the pods naming default-scheduler (kube-scheduler's responsibleForPod)
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> admin.pods().withName("bound-by-collection").get().getSpec().getNodeName() == null);

        // a Binding without a name names no pod: 422, nothing bound
        assertThatThrownBy(() -> admin.bindings().resource(new BindingBuilder().withNewMetadata().endMetadata()
                .withNewTarget().withKind("Node").withName("node-x").endTarget().build()).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
        // POST namespaces/{ns}/bindings, the pod named in the Binding (fabric8's bindings(), older schedulers)
        admin.bindings().resource(new BindingBuilder().withNewMetadata().withName("bound-by-collection").endMetadata()
                .withNewTarget().withKind("Node").withName("node-x").endTarget().build()).create();
        assertThat(admin.pods().withName("bound-by-collection").get().getSpec().getNodeName()).isEqualTo("node-x");
        // a bound pod stays where it is: 409, as kube-apiserver's assignPod
        assertThatThrownBy(() -> admin.bindings().resource(new BindingBuilder().withNewMetadata().withName("bound-by-collection").endMetadata()
                .withNewTarget().withKind("Node").withName("node-y").endTarget().build()).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(admin.pods().withName("bound-by-collection").get().getSpec().getNodeName()).isEqualTo("node-x");
        admin.pods().withName("bound-by-collection").withGracePeriod(0).delete();
    }

    @Test
    void scaleSubresource() throws Exception {
        KubernetesClient k = client(CoreApiTokens.DEPLOYER);
        k.apps().deployments().resource(deployment("web", 1)).create();
        Scale scale = k.apps().deployments().withName("web").scale();
        assertThat(scale.getSpec().getReplicas()).isEqualTo(1);
        assertThat(scale.getStatus().getSelector()).isEqualTo("app=web");

        HttpResponse<String> put = raw("PUT", "/apis/apps/v1/namespaces/" + NS + "/deployments/web/scale", CoreApiTokens.DEPLOYER,
                "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":3}}");
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(k.apps().deployments().withName("web").get().getSpec().getReplicas()).isEqualTo(3);
        // beyond the replica cap: ApplyRefusalTest, with every other write path
    }

    @Test
    void foregroundDeletionWaitsForTheDependentsAndFinalizersHoldAnObject() {
        KubernetesClient k = client(CoreApiTokens.DEPLOYER);
        k.apps().deployments().resource(deployment("fg", 1)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> !k.apps().replicaSets().withLabel("app", "fg").list().getItems().isEmpty());
        ReplicaSet rs = k.apps().replicaSets().withLabel("app", "fg").list().getItems().get(0);
        // a finalizer of someone else's on the ReplicaSet holds it, and so the Deployment deleted in the foreground
        // a patch, not edit()'s read-then-write: the ReplicaSet controller is writing this new ReplicaSet's status (409)
        k.apps().replicaSets().withName(rs.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"finalizers\":[\"example.com/hold\"]}}");
        long generation = k.apps().deployments().withName("fg").get().getMetadata().getGeneration();
        k.apps().deployments().withName("fg").withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ReplicaSet held = k.apps().replicaSets().withName(rs.getMetadata().getName()).get();
            assertThat(held.getMetadata().getDeletionTimestamp()).isNotNull();
            // its own foreground deletion is done (its pods are gone): only the hold is left
            assertThat(held.getMetadata().getFinalizers()).containsExactly("example.com/hold");
            assertThat(k.pods().withLabel("app", "fg").list().getItems()).isEmpty();
        });
        Deployment waiting = k.apps().deployments().withName("fg").get();
        assertThat(waiting.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(waiting.getMetadata().getFinalizers()).containsExactly("foregroundDeletion");
        // upstream's TestStoreDeletionPropagation, TestNonGracefulStoreHandleFinalizers: "Deletion didn't increase Generation"
        assertThat(waiting.getMetadata().getGeneration()).isEqualTo(generation + 1);
        // no new finalizer on an object being deleted: 422 and nothing changes
        assertThatThrownBy(() -> k.apps().deployments().withName("fg").edit(d -> {
            d.getMetadata().setFinalizers(List.of("foregroundDeletion", "example.com/late"));
            return d;
        })).isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));

        // the hold released, the ReplicaSet goes, and then the Deployment
        k.apps().replicaSets().withName(rs.getMetadata().getName()).edit(r -> {
            r.getMetadata().getFinalizers().remove("example.com/hold");
            return r;
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(k.apps().replicaSets().withName(rs.getMetadata().getName()).get()).isNull();
            assertThat(k.apps().deployments().withName("fg").get()).isNull();
        });
    }

    @Test
    void namespaceLifecycle() {
        KubernetesClient k = client(CoreApiTokens.ADMIN);
        assertThatThrownBy(() -> k.configMaps().inNamespace("no-such-ns").resource(configMap("c", Map.of())).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(404);
                    assertThat(e.getStatus().getMessage()).isEqualTo("namespaces \"no-such-ns\" not found");
                });
        assertThat(k.namespaces().withName("default").get().getStatus().getPhase()).isEqualTo("Active");

        String ns = "short-lived";
        k.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        k.configMaps().inNamespace(ns).resource(configMap("plain", Map.of())).create();
        ConfigMap held = configMap("held", Map.of());
        held.getMetadata().setFinalizers(List.of("example.com/hold"));
        k.configMaps().inNamespace(ns).resource(held).create();
        k.apps().deployments().inNamespace(ns).resource(deployment("gone", 1)).create();

        k.namespaces().withName(ns).delete();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(k.namespaces().withName(ns).get().getStatus().getPhase()).isEqualTo("Terminating");
            assertThat(k.configMaps().inNamespace(ns).withName("plain").get()).isNull();
            assertThat(k.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
            assertThat(k.configMaps().inNamespace(ns).withName("held").get().getMetadata().getDeletionTimestamp()).isNotNull();
        });
        assertThatThrownBy(() -> k.configMaps().inNamespace(ns).resource(configMap("late", Map.of())).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getStatus().getMessage())
                            .isEqualTo("configmaps \"late\" is forbidden: unable to create new content in namespace short-lived because it is being terminated");
                });

        k.configMaps().inNamespace(ns).withName("held").edit(c -> {
            c.getMetadata().setFinalizers(List.of());
            return c;
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(k.configMaps().inNamespace(ns).list().getItems()).isEmpty();
            assertThat(k.namespaces().withName(ns).get()).isNull();
        });
    }

    private static Deployment deployment(String name, int replicas) {
        return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("127.0.0.1:5000/" + name + ":1").endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    private HttpResponse<String> raw(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
