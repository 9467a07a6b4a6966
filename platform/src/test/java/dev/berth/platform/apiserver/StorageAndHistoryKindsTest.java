package dev.berth.platform.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.api.CoreApiProfile;
import dev.berth.platform.api.CoreApiTokens;
import dev.berth.platform.cli.KubeconfigContext;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kinds of storage, identity, history and coordination against the running test core, with the real kubectl and
 * fabric8: a namespace's {@code default} ServiceAccount and the pods defaulted to it; a StatefulSet's claims per
 * ordinal, Bound, kept when the pod goes; its ControllerRevisions through {@code kubectl rollout history} and
 * {@code undo}; a claim made by hand bound by the local-path binder; {@code kubectl events}; two fabric8
 * LeaderElectors on one Lease. The test core pulls no image, so the StatefulSet's pods never become Ready: the
 * assertions are on the objects the controllers write.
 */
@QuarkusTest
@TestProfile(CoreApiProfile.class)
class StorageAndHistoryKindsTest {

    static final String NS = "kinds-test";

    @Inject
    ApiServer server;

    @TestHTTPResource("/")
    URL root;

    Path kubeconfig;
    private final List<KubernetesClient> clients = new CopyOnWriteArrayList<>();

    @BeforeEach
    void context() throws Exception {
        kubeconfig = Files.createTempDirectory("kubeconfig").resolve("config");
        String ca = Files.readString(ServingCertificate.certificateFile(ApiServer.certificateDir(CoreApiProfile.STATE)));
        KubeconfigContext.write(kubeconfig, "https://127.0.0.1:" + server.securePort(), ca, CoreApiTokens.DEPLOYER, NS);
        if (kubectl("get", "namespace", NS).exit() != 0) {
            Result created = kubectl("apply", "-f", write("ns", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + NS + "\n").toString());
            assertThat(created.exit()).as("%s", created.lines()).isZero();
        }
    }

    @AfterEach
    void close() {
        clients.forEach(KubernetesClient::close);
    }

    private KubernetesClient client() {
        return client(CoreApiTokens.DEPLOYER);
    }

    private KubernetesClient client(String token) {
        KubernetesClient c = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(root.toString())
                .withOauthToken(token).withNamespace(NS).withRequestRetryBackoffLimit(0).build()).build();
        clients.add(c);
        return c;
    }

    @Test
    void everyNamespaceHasItsDefaultServiceAccountAndPodsRunAsIt() throws Exception {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(kubectl("get", "sa", "-o", "name").lines())
                .containsExactly("serviceaccount/default"));
        assertThat(kubectl("get", "serviceaccounts").lines().get(0)).matches("NAME\\s+SECRETS\\s+AGE");
        assertThat(kubectl("get", "sa", "default", "-n", "default", "-o", "name").lines()).containsExactly("serviceaccount/default");

        // upstream's controller puts it back when deleted
        ok("delete", "sa", "default");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(kubectl("get", "sa", "-o", "name").lines())
                .containsExactly("serviceaccount/default"));

        Path pod = write("pod", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: quiet\nspec:\n  nodeName: no-kubelet\n"
                + "  containers:\n  - name: app\n    image: 127.0.0.1:5000/none:1\n");
        assertThat(kubectl("apply", "-f", pod.toString()).lines()).containsExactly("pod/quiet created");
        assertThat(kubectl("get", "pod", "quiet", "-o", "jsonpath={.spec.serviceAccountName} {.spec.serviceAccount}").lines())
                .containsExactly("default default");
        ok("delete", "pod", "quiet", "--grace-period=0", "--force");
    }

    @Test
    void aStatefulSetClaimsAVolumePerOrdinalAndRecordsItsRevisions() throws Exception {
        Path set = write("sts", statefulSet("one"));
        assertThat(kubectl("apply", "-f", set.toString()).lines()).containsExactly("statefulset.apps/db created");

        KubernetesClient client = client();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            PersistentVolumeClaim claim = client.persistentVolumeClaims().withName("data-db-0").get();
            assertThat(claim).isNotNull();
            assertThat(claim.getStatus()).isNotNull();
            assertThat(claim.getStatus().getPhase()).isEqualTo("Bound");
            assertThat(claim.getStatus().getCapacity().get("storage").toString()).isEqualTo("1Gi");
            assertThat(claim.getStatus().getAccessModes()).containsExactly("ReadWriteOnce");
            assertThat(claim.getMetadata().getOwnerReferences()).isNullOrEmpty(); // Retain: the claim outlives the set
            assertThat(claim.getMetadata().getLabels()).containsEntry("app", "db");
        });
        List<String> pvc = kubectl("get", "pvc").lines();
        assertThat(pvc.get(0)).matches("NAME\\s+STATUS\\s+VOLUME\\s+CAPACITY\\s+ACCESS MODES\\s+STORAGECLASS\\s+VOLUMEATTRIBUTESCLASS\\s+AGE");
        assertThat(pvc.get(1)).matches("data-db-0\\s+Bound\\s+pvc-[0-9a-f-]+\\s+1Gi\\s+RWO\\s+<unset>\\s+\\S+");

        Pod pod = await().atMost(Duration.ofSeconds(20)).until(() -> client.pods().withName("db-0").get(), p -> p != null);
        assertThat(pod.getSpec().getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("data");
            assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("data-db-0");
        });
        assertThat(pod.getMetadata().getLabels()).containsEntry("statefulset.kubernetes.io/pod-name", "db-0")
                .containsEntry("apps.kubernetes.io/pod-index", "0");
        String first = pod.getMetadata().getLabels().get("controller-revision-hash");
        assertThat(first).startsWith("db-");
        assertThat(kubectl("get", "controllerrevisions").lines().get(0)).matches("NAME\\s+CONTROLLER\\s+REVISION\\s+AGE");
        assertThat(kubectl("get", "controllerrevisions").lines().get(1)).matches(first + "\\s+statefulset.apps/db\\s+1\\s+\\S+");

        // a changed template: a second revision, the update revision on the status
        assertThat(kubectl("apply", "-f", write("sts", statefulSet("two")).toString()).lines()).containsExactly("statefulset.apps/db configured");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(revisions(client)).extracting(ControllerRevision::getRevision).containsExactly(1L, 2L);
            StatefulSet s = client.apps().statefulSets().withName("db").get();
            assertThat(s.getStatus().getUpdateRevision()).isEqualTo(revisions(client).get(1).getMetadata().getName());
            assertThat(s.getStatus().getCurrentRevision()).isEqualTo(first); // db-0 never became Ready on the new one
        });
        List<String> history = kubectl("rollout", "history", "statefulset/db").lines().stream().map(String::stripTrailing).toList();
        assertThat(history).containsExactly("statefulset.apps/db", "REVISION  CHANGE-CAUSE", "1         <none>", "2         <none>");
        assertThat(String.join("\n", kubectl("rollout", "history", "statefulset/db", "--revision=1").lines())).contains("MODE:\tone");

        // undo: kubectl sends revision 1's data back; that revision becomes number 3, the template is "one" again
        assertThat(kubectl("rollout", "undo", "statefulset/db").lines()).containsExactly("statefulset.apps/db rolled back");
        assertThat(image(client)).isEqualTo("one");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<ControllerRevision> revisions = revisions(client);
            assertThat(revisions).extracting(ControllerRevision::getRevision).containsExactly(2L, 3L);
            assertThat(revisions.get(1).getMetadata().getName()).isEqualTo(first);
            assertThat(client.apps().statefulSets().withName("db").get().getStatus().getUpdateRevision()).isEqualTo(first);
        });
        assertThat(kubectl("rollout", "undo", "statefulset/db", "--to-revision=3").lines())
                .containsExactly("statefulset.apps/db skipped rollback (current template already matches revision 3)");

        // deleting the pod keeps its claim; deleting the set keeps the claim and takes the revisions
        String claimUid = client.persistentVolumeClaims().withName("data-db-0").get().getMetadata().getUid();
        ok("delete", "pod", "db-0", "--grace-period=0", "--force", "--ignore-not-found");
        await().atMost(Duration.ofSeconds(20)).until(() -> client.pods().withName("db-0").get(), p -> p != null);
        assertThat(client.persistentVolumeClaims().withName("data-db-0").get().getMetadata().getUid()).isEqualTo(claimUid);
        ok("delete", "statefulset", "db");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(revisions(client)).isEmpty());
        assertThat(kubectl("get", "pvc", "-o", "name").lines()).contains("persistentvolumeclaim/data-db-0");
        ok("delete", "pvc", "data-db-0");
    }

    @Test
    void aDeploymentsHistoryIsItsReplicaSetsRevisions() throws Exception {
        String deployment = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: 1
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      nodeName: no-kubelet
                      containers:
                      - name: app
                        image: 127.0.0.1:5000/web:%s
                """;
        ok("apply", "-f", write("deploy", deployment.formatted("1")).toString());
        await().atMost(Duration.ofSeconds(20)).until(() -> kubectl("get", "rs", "-o", "name").lines().size() == 1);
        ok("apply", "-f", write("deploy", deployment.formatted("2")).toString());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(kubectl("rollout", "history", "deployment/web").lines().stream()
                .map(String::stripTrailing).toList()).containsExactly("deployment.apps/web", "REVISION  CHANGE-CAUSE", "1         <none>", "2         <none>"));
        assertThat(kubectl("rollout", "undo", "deployment/web").lines()).containsExactly("deployment.apps/web rolled back");
        assertThat(kubectl("get", "deployment", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}").lines())
                .containsExactly("127.0.0.1:5000/web:1");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(kubectl("rollout", "history", "deployment/web").lines().stream()
                .map(String::stripTrailing).toList()).containsExactly("deployment.apps/web", "REVISION  CHANGE-CAUSE", "2         <none>", "3         <none>"));
        ok("delete", "deployment", "web");
    }

    @Test
    void undoToTheFirstRevisionAfterARestartReusesItsReplicaSet() throws Exception {
        // kubectl sends revision 1's template back as Go serialises it; the controller finds its ReplicaSet by
        // EqualIgnoreHash and makes it revision 3 instead of creating another
        Path deployment = write("deploy", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: shop
                spec:
                  replicas: 1
                  selector:
                    matchLabels: {app: shop}
                  template:
                    metadata:
                      labels: {tier: front, app: shop}
                      annotations: {prometheus.io/scrape: "true"}
                    spec:
                      nodeName: no-kubelet
                      volumes:
                      - name: tmp
                        emptyDir: {}
                      containers:
                      - name: app
                        image: 127.0.0.1:5000/shop:1
                        ports: [{containerPort: 8080, name: http}]
                        env:
                        - name: NS
                          valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
                        resources:
                          requests: {cpu: 250m, memory: 256Mi}
                          limits: {cpu: "1", memory: 384Mi}
                        readinessProbe:
                          httpGet: {path: /q/health/ready, port: 8080}
                          initialDelaySeconds: 0
                        volumeMounts: [{name: tmp, mountPath: /tmp, readOnly: false}]
                """);
        ok("apply", "-f", deployment.toString());
        KubernetesClient client = client();
        String first = await().atMost(Duration.ofSeconds(20)).until(() -> replicaSets(client, "shop"), l -> l.size() == 1).get(0).getMetadata().getName();
        ok("rollout", "restart", "deployment/shop");
        await().atMost(Duration.ofSeconds(20)).until(() -> replicaSets(client, "shop"), l -> l.size() == 2);

        assertThat(kubectl("rollout", "undo", "deployment/shop", "--to-revision=1").lines()).containsExactly("deployment.apps/shop rolled back");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ReplicaSet reused = client.apps().replicaSets().withName(first).get();
            assertThat(reused.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "3")
                    .containsEntry("deployment.kubernetes.io/revision-history", "1");
            assertThat(reused.getSpec().getReplicas()).isEqualTo(1);
        });
        assertThat(replicaSets(client, "shop")).hasSize(2);
        assertThat(kubectl("rollout", "undo", "deployment/shop", "--to-revision=3").lines())
                .containsExactly("deployment.apps/shop skipped rollback (current template already matches revision 3)");
        ok("delete", "deployment", "shop");
    }

    private static List<ReplicaSet> replicaSets(KubernetesClient client, String deployment) {
        return client.apps().replicaSets().list().getItems().stream()
                .filter(rs -> rs.getMetadata().getOwnerReferences().stream().anyMatch(o -> o.getName().equals(deployment))).toList();
    }

    @Test
    void aClaimMadeByHandIsBoundToALocalDirectory() throws Exception {
        Path claim = write("pvc", """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata:
                  name: scratch
                spec:
                  accessModes: [ReadWriteOnce, ReadOnlyMany]
                  resources:
                    requests:
                      storage: 512Mi
                """);
        assertThat(kubectl("apply", "-f", claim.toString()).lines()).containsExactly("persistentvolumeclaim/scratch created");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(kubectl("get", "pvc", "scratch", "--no-headers").lines())
                .singleElement().asString().matches("scratch\\s+Bound\\s+pvc-[0-9a-f-]+\\s+512Mi\\s+RWO,ROX\\s+<unset>\\s+\\S+"));
        assertThat(kubectl("get", "pvc", "scratch", "-o", "wide").lines().get(1)).endsWith("Filesystem");
        assertThat(kubectl("delete", "pvc", "scratch").lines()).containsExactly("persistentvolumeclaim \"scratch\" deleted");
    }

    @Test
    void kubectlEventsListsTheControllersEvents() throws Exception {
        Path set = write("sts", statefulSet("one").replace("name: db", "name: evented").replace("app: db", "app: evented"));
        ok("apply", "-f", set.toString());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<String> events = kubectl("events", "--for", "statefulset/evented").lines();
            assertThat(events.get(0)).matches("LAST SEEN\\s+TYPE\\s+REASON\\s+OBJECT\\s+MESSAGE");
            assertThat(events).anySatisfy(l -> assertThat(l).matches(".*Normal\\s+SuccessfulCreate\\s+StatefulSet/evented\\s+create Pod evented-0 .*"));
        });
        // the same Events through events.k8s.io/v1, and one written there read through core/v1
        KubernetesClient client = client(CoreApiTokens.ADMIN); // edit, as upstream's, grants core Events only, not events.k8s.io
        assertThat(client.events().v1().events().list().getItems()).anySatisfy(e -> {
            assertThat(e.getRegarding().getKind()).isEqualTo("StatefulSet");
            assertThat(e.getRegarding().getName()).isEqualTo("evented");
            assertThat(e.getNote()).startsWith("create Pod evented-0");
            assertThat(e.getDeprecatedSource().getComponent()).isEqualTo("statefulset-controller");
        });
        client.events().v1().events().resource(new io.fabric8.kubernetes.api.model.events.v1.EventBuilder().withNewMetadata().withName("by-v1")
                .endMetadata().withEventTime(new io.fabric8.kubernetes.api.model.MicroTime("2026-12-03T12:00:00.000000Z"))
                .withReportingController("berth.dev/test").withReportingInstance("test-1").withAction("Checked").withReason("Checked")
                .withType("Normal").withNote("written through events.k8s.io").withNewRegarding().withKind("StatefulSet").withName("evented")
                .withNamespace(NS).endRegarding().build()).create();
        assertThat(kubectl("get", "events.v1.", "by-v1", "-o", "jsonpath={.message}|{.involvedObject.name}|{.reportingComponent}").lines())
                .containsExactly("written through events.k8s.io|evented|berth.dev/test");
        var v1 = client.events().v1().events().withName("by-v1").get(); // read back through events.k8s.io (kubectl here is an edit user)
        assertThat(v1.getNote() + "|" + v1.getRegarding().getName()).isEqualTo("written through events.k8s.io|evented");
        ok("delete", "statefulset", "evented");
        ok("delete", "pvc", "data-evented-0");
    }

    @Test
    void twoLeaderElectorsOnOneLeaseHandOverWhenTheLeaderStops() throws Exception {
        AtomicReference<String> leader = new AtomicReference<>();
        List<String> started = new CopyOnWriteArrayList<>();
        CompletableFuture<?> a = elector(client(), "a", leader, started);
        await().atMost(Duration.ofSeconds(20)).until(() -> leader.get() != null);
        CompletableFuture<?> b = elector(client(), "b", leader, started);
        String first = leader.get();
        assertThat(kubectl("get", "leases").lines().get(0)).matches("NAME\\s+HOLDER\\s+AGE");
        assertThat(kubectl("get", "lease", "elected", "-o", "jsonpath={.spec.holderIdentity}").lines()).containsExactly(first);
        assertThat(started).containsExactly(first);

        (first.equals("a") ? a : b).cancel(true); // the leader stops and releases the lease
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(started).hasSize(2);
            assertThat(leader.get()).isNotEqualTo(first);
        });
        assertThat(kubectl("get", "lease", "elected", "-o", "jsonpath={.spec.holderIdentity}").lines()).containsExactly(leader.get());
        // fabric8 releases by a merge patch that leaves the holder and shortens the lease to a second
        (first.equals("a") ? b : a).cancel(true);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(kubectl("get", "lease", "elected", "-o", "jsonpath={.spec.leaseDurationSeconds}").lines()).containsExactly("1"));

        // optimistic concurrency: a write based on an older version is refused and changes nothing
        KubernetesClient client = client();
        Lease stale = client.leases().withName("elected").get();
        client.leases().withName("elected").edit(l -> new LeaseBuilder(l).editSpec().withHolderIdentity("c").endSpec().build());
        stale.getSpec().setHolderIdentity("d");
        assertThatThrownBy(() -> client.leases().resource(stale).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(client.leases().withName("elected").get().getSpec().getHolderIdentity()).isEqualTo("c");
        ok("delete", "lease", "elected");
    }

    private static CompletableFuture<?> elector(KubernetesClient client, String identity, AtomicReference<String> leader, List<String> started) {
        return client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName("kinds-test").withLock(new LeaseLock(NS, "elected", identity))
                .withLeaseDuration(Duration.ofSeconds(4)).withRenewDeadline(Duration.ofSeconds(3)).withRetryPeriod(Duration.ofMillis(500))
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(() -> started.add(identity), () -> { }, leader::set))
                .build()).build().start();
    }

    private static List<ControllerRevision> revisions(KubernetesClient client) {
        return client.apps().controllerRevisions().withLabel("app", "db").list().getItems().stream()
                .sorted(Comparator.comparingLong(ControllerRevision::getRevision)).toList();
    }

    private static String image(KubernetesClient client) {
        return client.apps().statefulSets().withName("db").get().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().get(0).getValue();
    }

    private static String statefulSet(String mode) {
        return """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata:
                  name: db
                spec:
                  serviceName: db
                  replicas: 1
                  selector:
                    matchLabels: {app: db}
                  template:
                    metadata:
                      labels: {app: db}
                    spec:
                      nodeName: no-kubelet
                      containers:
                      - name: app
                        image: 127.0.0.1:5000/none:1
                        env:
                        - name: MODE
                          value: %s
                        volumeMounts:
                        - name: data
                          mountPath: /data
                  volumeClaimTemplates:
                  - metadata:
                      name: data
                    spec:
                      accessModes: [ReadWriteOnce]
                      resources:
                        requests:
                          storage: 1Gi
                """.formatted(mode);
    }

    private static Path write(String prefix, String yaml) throws Exception {
        Path file = Files.createTempFile(prefix, ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    record Result(int exit, List<String> lines) {}

    /** Runs kubectl and asserts it succeeded, showing what it printed when not. */
    private void ok(String... args) throws Exception {
        Result r = kubectl(args);
        assertThat(r.exit()).as("kubectl %s: %s", String.join(" ", args), r.lines()).isZero();
    }

    Result kubectl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--context", "berth"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out.lines().filter(l -> !l.isBlank()).toList());
    }
}
