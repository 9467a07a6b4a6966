package dev.berth.platform.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.api.CoreApiProfile;
import dev.berth.platform.api.CoreApiTokens;
import dev.berth.platform.cli.KubeconfigContext;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Server-side apply and managedFields against the running core, through fabric8 ({@code serverSideApply()},
 * {@code forceConflicts()}) and the real kubectl ({@code apply --server-side}, after a client-side apply,
 * {@code get --show-managed-fields}), over TLS.
 */
@QuarkusTest
@TestProfile(CoreApiProfile.class)
class ServerSideApplyTest {

    static final String NS = "ssa-test";

    @Inject
    ApiServer server;

    private KubernetesClient client;
    private Path kubeconfig;

    @BeforeEach
    void connect() throws Exception {
        String ca = Files.readString(ServingCertificate.certificateFile(ApiServer.certificateDir(CoreApiProfile.STATE)));
        String url = "https://127.0.0.1:" + server.securePort();
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(url).withOauthToken(CoreApiTokens.ADMIN)
                .withCaCertData(java.util.Base64.getEncoder().encodeToString(ca.getBytes())).withNamespace(NS)
                .withRequestRetryBackoffLimit(0).build()).build();
        if (client.namespaces().withName(NS).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        }
        kubeconfig = Files.createTempDirectory("kubeconfig").resolve("config");
        KubeconfigContext.write(kubeconfig, url, ca, CoreApiTokens.DEPLOYER, NS);
    }

    @AfterEach
    void cleanUp() {
        client.configMaps().inNamespace(NS).delete();
        client.apps().deployments().inNamespace(NS).delete();
        client.close();
    }

    private static ConfigMap settings(Map<String, String> data) {
        return new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace(NS).endMetadata().withData(data).build();
    }

    @Test
    void fabric8AppliesConflictsAndForces() {
        ConfigMap created = client.resource(settings(Map.of("mode", "test", "level", "info"))).fieldManager("a").serverSideApply();
        assertThat(created.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("mode", "test", "level", "info"));
        ManagedFieldsEntry a = created.getMetadata().getManagedFields().get(0);
        assertThat(List.of(a.getManager(), a.getOperation(), a.getApiVersion(), a.getFieldsType())).containsExactly("a", "Apply", "v1", "FieldsV1");
        assertThat(a.getTime()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(a.getSubresource()).isNull();

        ConfigMap changed = client.resource(settings(Map.of("mode", "prod"))).fieldManager("a").serverSideApply();
        assertThat(changed.getData()).as("the key a no longer applies is gone").containsExactlyEntriesOf(Map.of("mode", "prod"));

        assertThatThrownBy(() -> client.resource(settings(Map.of("mode", "debug"))).fieldManager("b").serverSideApply())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
                    assertThat(e.getStatus().getMessage()).isEqualTo("Apply failed with 1 conflict: conflict with \"a\": .data.mode");
                    assertThat(e.getStatus().getDetails().getCauses()).singleElement().satisfies(c -> {
                        assertThat(c.getReason()).isEqualTo("FieldManagerConflict");
                        assertThat(c.getField()).isEqualTo(".data.mode");
                        assertThat(c.getMessage()).isEqualTo("conflict with \"a\"");
                    });
                });
        ConfigMap shared = client.resource(settings(Map.of("mode", "prod"))).fieldManager("b").serverSideApply();
        assertThat(shared.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager).containsExactlyInAnyOrder("a", "b");

        ConfigMap forced = client.resource(settings(Map.of("mode", "debug"))).fieldManager("b").forceConflicts().serverSideApply();
        assertThat(forced.getData()).containsExactlyEntriesOf(Map.of("mode", "debug"));
        assertThat(forced.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager)
                .as("a owned nothing else and is dropped").containsExactly("b");

        ConfigMap edited = client.configMaps().withName("settings").edit(c -> new ConfigMapBuilder(c).addToData("extra", "1").build());
        assertThat(edited.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager, ManagedFieldsEntry::getOperation)
                .as("an update by fabric8 is recorded for its User-Agent")
                .contains(org.assertj.core.groups.Tuple.tuple("b", "Apply"));
        assertThat(edited.getMetadata().getManagedFields()).hasSize(2);
        assertThat(edited.getMetadata().getManagedFields().stream().filter(m -> m.getOperation().equals("Update")).findFirst().orElseThrow()
                .getFieldsV1().getAdditionalProperties().toString()).isEqualTo("{f:data={f:extra={}}}");
    }

    @Test
    void applyNeedsAFieldManagerAndTheUrlsName() throws Exception {
        String path = client.getMasterUrl() + "api/v1/namespaces/" + NS + "/configmaps/settings";
        String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: yaml\n";

        var anonymous = send(path, yaml);
        assertThat(anonymous.code()).isEqualTo(422);
        assertThat(anonymous.body()).contains("\"message\":\"PatchOptions.meta.k8s.io \\\"\\\" is invalid: fieldManager: Required value: is required for apply patch\"");

        assertThat(send(path.replace("/settings", "/other") + "?fieldManager=a", yaml).code()).isEqualTo(400);
        var created = send(path + "?fieldManager=a", yaml);
        assertThat(created.code()).as("apply creates what is absent").isEqualTo(201);
        assertThat(client.configMaps().withName("settings").get().getData()).containsExactlyEntriesOf(Map.of("mode", "yaml"));
        assertThat(send(path + "?fieldManager=a", yaml).code()).isEqualTo(200);
    }

    private io.fabric8.kubernetes.client.http.HttpResponse<String> send(String url, String body) throws Exception {
        return send("PATCH", "application/apply-patch+yaml", url, body);
    }

    private io.fabric8.kubernetes.client.http.HttpResponse<String> send(String method, String contentType, String url, String body) throws Exception {
        var http = client.getHttpClient();
        return http.sendAsync(http.newHttpRequestBuilder().uri(url).method(method, contentType, body).build(), String.class)
                .get(30, TimeUnit.SECONDS);
    }

    @Test
    void kubectlsServerSideApplyTakesOverWhatItsClientSideApplySetAsUpstreamsLastAppliedManager() throws Exception {
        String configMaps = client.getMasterUrl() + "api/v1/namespaces/" + NS + "/configmaps";
        String settings = configMaps + "/settings";
        // what kubectl apply sends to create: the object carrying its configuration, written as kubectl-client-side-apply
        String configuration = "{\"apiVersion\":\"v1\",\"data\":{\"level\":\"info\",\"mode\":\"test\"},\"kind\":\"ConfigMap\","
                + "\"metadata\":{\"annotations\":{},\"name\":\"settings\",\"namespace\":\"" + NS + "\"}}";
        String created = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"settings\",\"annotations\":"
                + "{\"kubectl.kubernetes.io/last-applied-configuration\":" + client.getKubernetesSerialization().asJson(configuration) + "}},"
                + "\"data\":{\"level\":\"info\",\"mode\":\"test\"}}";
        assertThat(send("POST", "application/json", configMaps + "?fieldManager=kubectl-client-side-apply", created).code()).isEqualTo(201);

        String same = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: test\n  level: info\n";
        assertThat(send(settings + "?fieldManager=kubectl", same).code()).as("the same configuration server-side").isEqualTo(200);

        // a value the client-side apply set, still as it set it: kubectl's apply takes the field over instead of conflicting
        var upgraded = send(settings + "?fieldManager=kubectl", same.replace("mode: test", "mode: prod"));
        assertThat(upgraded.code()).as(upgraded.body()).isEqualTo(200);
        ConfigMap live = client.configMaps().withName("settings").get();
        assertThat(live.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("mode", "prod", "level", "info"));
        assertThat(fieldsOf(live, "kubectl")).contains("f:mode").contains("f:level");
        assertThat(fieldsOf(live, "kubectl-client-side-apply")).doesNotContain("f:mode").contains("f:level");

        // any other manager still conflicts: only kubectl upgrades
        var other = send(settings + "?fieldManager=other", same.replace("level: info", "level: debug"));
        assertThat(other.code()).isEqualTo(409);
        assertThat(other.body()).contains("conflict with \\\"kubectl-client-side-apply\\\"").contains(".data.level");

        // a value changed since the last apply by someone else is no longer the client-side apply's: the conflict stays
        assertThat(send("PATCH", "application/merge-patch+json", settings + "?fieldManager=editor", "{\"data\":{\"level\":\"debug\"}}").code())
                .isEqualTo(200);
        var drifted = send(settings + "?fieldManager=kubectl", same.replace("mode: test", "mode: prod").replace("level: info", "level: warn"));
        assertThat(drifted.code()).isEqualTo(409);
        assertThat(drifted.body()).contains("Apply failed with 1 conflict: conflict with \\\"editor\\\"").contains(".data.level");
    }

    private static String fieldsOf(ConfigMap object, String manager) {
        return object.getMetadata().getManagedFields().stream().filter(m -> m.getManager().equals(manager)).findFirst().orElseThrow()
                .getFieldsV1().getAdditionalProperties().toString();
    }

    @Test
    void kubectlServerSideApplyIsIdempotentAndShowsManagedFields() throws Exception {
        Path manifest = Files.createTempFile("web", ".yaml");
        Files.writeString(manifest, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: test\n---\n" + deployment(2));

        assertThat(kubectl("apply", "--server-side", "-f", manifest.toString()).lines())
                .containsExactly("configmap/settings serverside-applied", "deployment.apps/web serverside-applied");
        String version = kubectl("get", "configmap", "settings", "-o", "jsonpath={.metadata.resourceVersion}").lines().get(0);
        String owners = kubectl("get", "deployment", "web", "-o", "jsonpath={.metadata.managedFields}").lines().get(0);
        assertThat(kubectl("apply", "--server-side", "-f", manifest.toString()).lines())
                .containsExactly("configmap/settings serverside-applied", "deployment.apps/web serverside-applied");
        assertThat(kubectl("get", "configmap", "settings", "-o", "jsonpath={.metadata.resourceVersion}").lines())
                .as("an apply that changes nothing is not written").containsExactly(version);
        assertThat(kubectl("get", "deployment", "web", "-o", "jsonpath={.metadata.managedFields}").lines()).containsExactly(owners);

        List<String> yaml = kubectl("get", "deployment", "web", "-o", "yaml", "--show-managed-fields").lines();
        assertThat(yaml).contains("  managedFields:", "    manager: kubectl", "    operation: Apply", "    fieldsType: FieldsV1",
                "        f:replicas: {}", "        f:selector: {}");
        assertThat(kubectl("get", "deployment", "web", "-o", "yaml").lines()).noneMatch(l -> l.contains("managedFields"));

        Files.writeString(manifest, deployment(3));
        assertThat(kubectl("apply", "--server-side", "-f", manifest.toString()).lines()).containsExactly("deployment.apps/web serverside-applied");
        assertThat(kubectl("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}").lines()).containsExactly("3");

        Result conflict = kubectl("apply", "--server-side", "--field-manager=other", "-f", writeTemp(deployment(4)));
        assertThat(conflict.exit()).isNotZero();
        assertThat(String.join("\n", conflict.lines())).contains("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas");
        assertThat(kubectl("apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", writeTemp(deployment(4))).exit()).isZero();
        assertThat(kubectl("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}").lines()).containsExactly("4");
    }

    @Test
    void kubectlServerSideApplyAfterClientSideApply() throws Exception {
        Path manifest = Files.createTempFile("cm", ".yaml");
        Files.writeString(manifest, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: test\n");
        assertThat(kubectl("apply", "-f", manifest.toString()).lines()).containsExactly("configmap/settings created");
        assertThat(kubectl("get", "configmap", "settings", "-o", "jsonpath={.metadata.managedFields[*].manager}").lines())
                .containsExactly("kubectl-client-side-apply");

        Result same = kubectl("apply", "--server-side", "-f", manifest.toString());
        assertThat(same.lines()).containsExactly("configmap/settings serverside-applied");

        Files.writeString(manifest, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: prod\n");
        assertThat(kubectl("apply", "--server-side", "-f", manifest.toString()).lines()).containsExactly("configmap/settings serverside-applied");
        assertThat(kubectl("get", "configmap", "settings", "-o", "jsonpath={.data.mode}").lines()).containsExactly("prod");
        // kubectl's csaupgrade moved the client-side apply fields to its applier, the annotation to kubectl-last-applied
        assertThat(kubectl("get", "configmap", "settings", "-o", "jsonpath={.metadata.managedFields[*].manager}").lines().get(0).split(" "))
                .containsExactlyInAnyOrder("kubectl", "kubectl-last-applied");
        assertThat(kubectl("get", "configmap", "settings", "-o", "jsonpath={.metadata.managedFields[*].operation}").lines())
                .containsExactly("Apply Apply");
    }

    private static String writeTemp(String content) throws Exception {
        Path p = Files.createTempFile("manifest", ".yaml");
        Files.writeString(p, content);
        return p.toString();
    }

    private static String deployment(int replicas) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: %d
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                      - name: app
                        image: 127.0.0.1:5000/web:1
                        ports:
                        - containerPort: 8080
                """.formatted(replicas);
    }

    record Result(int exit, List<String> lines) {}

    Result kubectl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--context", "berth"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out.lines().filter(l -> !l.isBlank()).toList());
    }
}
