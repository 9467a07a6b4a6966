package dev.berth.platform.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.api.CoreApiProfile;
import dev.berth.platform.api.CoreApiTokens;
import dev.berth.platform.api.auth.TokenFile;
import dev.berth.platform.cli.KubeconfigContext;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RBAC through the real kubectl: a user per built-in ClusterRole ({@code view}, {@code edit}, {@code admin},
 * {@code cluster-admin}), each with a token in the token file and bound by a ClusterRoleBinding that a cluster admin
 * applies with kubectl; then {@code kubectl auth can-i} (a SelfSubjectAccessReview)
 * and {@code --list} (a SelfSubjectRulesReview) as each, and the Forbidden kubectl prints for a view user's
 * {@code get secrets}.
 */
@QuarkusTest
@TestProfile(CoreApiProfile.class)
class KubectlAuthTest {

    static final String NS = "kubectl-auth";
    static final List<String> ROLES = List.of("view", "edit", "admin", "cluster-admin");

    @Inject
    ApiServer server;

    @Inject
    TokenFile tokens;

    @Inject
    dev.berth.platform.store.ObjectStore store;

    @TestHTTPResource("/")
    URL root;

    String ca;

    @BeforeEach
    void usersAndBindings() throws Exception {
        ca = Files.readString(ServingCertificate.certificateFile(ApiServer.certificateDir(CoreApiProfile.STATE)));
        assertThat(tokens.lookup(CoreApiTokens.ADMIN)).isPresent(); // the profile's file, converted from the former format on first read
        if (store.get(new dev.berth.platform.model.ObjectKey(dev.berth.platform.model.ResourceKind.NAMESPACE, null, NS)).isEmpty()) {
            store.create(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build());
        }
        if (tokens.lookup(token("view")).isPresent()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (String role : ROLES) {
            lines.append(token(role)).append(",rbac-").append(role).append(",uid-").append(role).append('\n');
        }
        Files.writeString(tokens.path(), lines, StandardOpenOption.APPEND);
        for (String role : ROLES) {
            assertThat(kubectl(CoreApiTokens.ADMIN, "create", "clusterrolebinding", "rbac-" + role, "--clusterrole=" + role, "--user=rbac-" + role)
                    .lines()).containsExactly("clusterrolebinding.rbac.authorization.k8s.io/rbac-" + role + " created");
        }
    }

    @ParameterizedTest(name = "{0}: can-i {1} {2} -> {3}")
    @CsvSource({
            "view,          get,    secrets,     no",
            "view,          list,   pods,        yes",
            "view,          create, deployments, no",
            "view,          delete, nodes,       no",
            "edit,          get,    secrets,     yes",
            "edit,          create, deployments, yes",
            "edit,          create, rolebindings, no",
            "edit,          delete, nodes,       no",
            "admin,         get,    secrets,     yes",
            "admin,         create, deployments, yes",
            "admin,         create, rolebindings, yes",
            "admin,         delete, nodes,       no",
            "cluster-admin, get,    secrets,     yes",
            "cluster-admin, create, deployments, yes",
            "cluster-admin, delete, nodes,       yes",
    })
    void canI(String role, String verb, String resource, String answer) throws Exception {
        Result r = kubectl(token(role), "auth", "can-i", verb, resource);

        assertThat(r.lines()).last().isEqualTo(answer); // after kubectl's own warning that nodes are not namespaced
        assertThat(r.exit()).isEqualTo(answer.equals("yes") ? 0 : 1);
    }

    @Test
    void aViewUserIsRefusedSecretsWithKubernetesWords() throws Exception {
        Result r = kubectl(token("view"), "get", "secrets");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.lines()).containsExactly("Error from server (Forbidden): secrets is forbidden: User \"rbac-view\" cannot list resource "
                + "\"secrets\" in API group \"\" in the namespace \"" + NS + "\"");
    }

    @Test
    void canIListShowsTheRulesOfTheUsersRoles() throws Exception {
        Result view = kubectl(token("view"), "auth", "can-i", "--list");

        assertThat(view.exit()).isZero();
        assertThat(view.lines().get(0)).matches("Resources\\s+Non-Resource URLs\\s+Resource Names\\s+Verbs");
        assertThat(view.lines()).anyMatch(l -> l.matches("deployments\\.apps\\s+\\[\\]\\s+\\[\\]\\s+\\[get list watch\\]"))
                .anyMatch(l -> l.matches("selfsubjectaccessreviews\\.authorization\\.k8s\\.io\\s+\\[\\]\\s+\\[\\]\\s+\\[create\\]"))
                .anyMatch(l -> l.matches("\\s+\\[/api/\\*\\]\\s+\\[\\]\\s+\\[get\\]"))
                .noneMatch(l -> l.startsWith("secrets "));
        assertThat(kubectl(token("cluster-admin"), "auth", "can-i", "--list").lines())
                .anyMatch(l -> l.matches("\\*\\.\\*\\s+\\[\\]\\s+\\[\\]\\s+\\[\\*\\]"));
    }

    @Test
    void aNewRoleBindingTakesEffectAtOnce() throws Exception {
        assertThat(kubectl(token("view"), "auth", "can-i", "create", "configmaps").lines()).containsExactly("no");

        Path binding = Files.createTempFile("binding", ".yaml");
        Files.writeString(binding, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: view-edits}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
                subjects:
                - {apiGroup: rbac.authorization.k8s.io, kind: User, name: rbac-view}
                """);
        assertThat(kubectl(CoreApiTokens.ADMIN, "apply", "-f", binding.toString()).lines())
                .containsExactly("rolebinding.rbac.authorization.k8s.io/view-edits created");

        assertThat(kubectl(token("view"), "auth", "can-i", "create", "configmaps").lines()).containsExactly("yes");
        assertThat(kubectl(token("view"), "auth", "can-i", "create", "configmaps", "-n", "default").lines()).containsExactly("no");
        assertThat(kubectl(CoreApiTokens.ADMIN, "get", "rolebindings", "-o", "wide").lines()).anyMatch(
                l -> l.matches("view-edits\\s+ClusterRole/edit\\s+\\S+\\s+rbac-view\\s*"));
        assertThat(kubectl(CoreApiTokens.ADMIN, "delete", "rolebinding", "view-edits").exit()).isZero();
    }

    @Test
    void aJsonReviewAsFabric8SendsItAnswersTheSame() {
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(root.toString())
                .withOauthToken(token("view")).withRequestRetryBackoffLimit(0).build()).build()) {
            SelfSubjectAccessReview secrets = client.authorization().v1().selfSubjectAccessReview().create(new SelfSubjectAccessReviewBuilder()
                    .withNewSpec().withNewResourceAttributes().withVerb("get").withResource("secrets").withNamespace(NS).endResourceAttributes()
                    .endSpec().build());
            SelfSubjectAccessReview api = client.authorization().v1().selfSubjectAccessReview().create(new SelfSubjectAccessReviewBuilder()
                    .withNewSpec().withNewNonResourceAttributes().withVerb("get").withPath("/api").endNonResourceAttributes().endSpec().build());

            assertThat(secrets.getStatus().getAllowed()).isFalse();
            assertThat(api.getStatus().getAllowed()).isTrue();
            assertThat(api.getStatus().getReason())
                    .isEqualTo("RBAC: allowed by ClusterRoleBinding \"system:discovery\" of ClusterRole \"system:discovery\" to Group \"system:authenticated\"");
            assertThatThrownBy(() -> client.authorization().v1().selfSubjectAccessReview().create(new SelfSubjectAccessReviewBuilder()
                    .withNewSpec().endSpec().build()))
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
        }
    }

    @Test
    void anAdminBindsWhatItHoldsButCannotEscalateToClusterAdmin() throws Exception {
        Path edit = Files.createTempFile("binding", ".yaml");
        Files.writeString(edit, binding("admin-grants-edit", "edit"));
        Path clusterAdmin = Files.createTempFile("binding", ".yaml");
        Files.writeString(clusterAdmin, binding("admin-grants-all", "cluster-admin"));

        assertThat(kubectl(token("admin"), "apply", "-f", edit.toString()).lines())
                .containsExactly("rolebinding.rbac.authorization.k8s.io/admin-grants-edit created");
        Result refused = kubectl(token("admin"), "apply", "-f", clusterAdmin.toString());

        assertThat(refused.exit()).isEqualTo(1);
        assertThat(String.join("\n", refused.lines())).contains("rolebindings.rbac.authorization.k8s.io \"admin-grants-all\" is forbidden: "
                + "user \"rbac-admin\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:");
        assertThat(kubectl(CoreApiTokens.ADMIN, "delete", "rolebinding", "admin-grants-edit").exit()).isZero();
    }

    private static String binding(String name, String clusterRole) {
        return """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: %s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: %s}
                subjects:
                - {apiGroup: rbac.authorization.k8s.io, kind: User, name: somebody}
                """.formatted(name, clusterRole);
    }

    /** 64 characters, a token per role. */
    static String token(String role) {
        return (role + "-rbac-test-token-").repeat(8).substring(0, 64);
    }

    record Result(int exit, List<String> lines) {}

    Result kubectl(String token, String... args) throws Exception {
        Path kubeconfig = Files.createTempDirectory("kubeconfig").resolve("config");
        KubeconfigContext.write(kubeconfig, "https://127.0.0.1:" + server.securePort(), ca, token, NS);
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--context", "berth"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out.lines().filter(l -> !l.isBlank()).toList());
    }
}
