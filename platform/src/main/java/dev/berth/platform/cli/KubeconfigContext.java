package dev.berth.platform.cli;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedAuthInfoBuilder;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedClusterBuilder;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The kubeconfig context {@code berth} that lets kubectl (and every Kubernetes client) talk to the local core, merged
 * into the user's kubeconfig the way kind does: the cluster {@code berth}, the user {@code berth-admin} with the
 * admin token and the context {@code berth} are added or replaced, everything else in the file is kept, and the
 * context becomes the current one. The file stays private (0600): it holds a token.
 */
public final class KubeconfigContext {

    public static final String NAME = "berth";
    static final String USER = "berth-admin";

    private KubeconfigContext() {}

    /** Where kubectl reads its configuration: the first file of {@code $KUBECONFIG}, else {@code ~/.kube/config}. */
    public static Path defaultFile() {
        String env = System.getenv("KUBECONFIG");
        if (env != null && !env.isBlank()) {
            return Path.of(env.split(java.io.File.pathSeparator)[0]);
        }
        return Path.of(System.getProperty("user.home"), ".kube", "config");
    }

    /**
     * Adds or replaces Berth's cluster, user and context in {@code file} (created if missing).
     *
     * @param certificateAuthority the PEM certificate the server's TLS certificate is checked against
     */
    public static void write(Path file, String server, String certificateAuthority, String token, String namespace) throws IOException {
        Config config = Files.exists(file) && Files.size(file) > 0 ? KubeConfigUtils.parseConfig(file.toFile()) : new Config();
        config.setApiVersion("v1");
        config.setKind("Config");
        config.setClusters(upsert(config.getClusters(), new NamedClusterBuilder().withName(NAME).withNewCluster().withServer(server)
                .withCertificateAuthorityData(java.util.Base64.getEncoder().encodeToString(certificateAuthority.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .endCluster().build(), NamedCluster::getName));
        config.setUsers(upsert(config.getUsers(), new NamedAuthInfoBuilder().withName(USER).withNewUser().withToken(token).endUser().build(),
                NamedAuthInfo::getName));
        config.setContexts(upsert(config.getContexts(), new NamedContextBuilder().withName(NAME).withNewContext().withCluster(NAME)
                .withUser(USER).withNamespace(namespace).endContext().build(), NamedContext::getName));
        config.setCurrentContext(NAME);
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        KubeConfigUtils.persistKubeConfigIntoFile(config, file.toFile());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private static <T> List<T> upsert(List<T> entries, T entry, Function<T, String> name) {
        List<T> result = new ArrayList<>();
        if (entries != null) {
            entries.stream().filter(e -> !name.apply(entry).equals(name.apply(e))).forEach(result::add);
        }
        result.add(entry);
        return result;
    }
}
