package dev.berth.platform.api;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The core in-process as a cluster for the cluster-path tests (SecondaryScheduler, KubernetesEngine, RolloutSupervisor,
 * graceful deletion) that talk to it through fabric8: its own state directory, the {@link CoreApiTokens} and the default
 * stream caps (informers and watches add up past {@link CoreApiProfile}'s small ones). One profile, so Quarkus starts the
 * core once for all of them: each test cleans up what it made.
 */
public class LiveCoreProfile implements QuarkusTestProfile {

    /** Service proxy ports from here: clear of {@link CoreApiProfile}'s 39000. */
    public static final int PROXY_PORTS = 39500;

    public static final Path STATE = createState();

    private static Path createState() {
        try {
            Path state = Files.createDirectories(Path.of("target", "live-core-state", Long.toString(System.nanoTime())).toAbsolutePath());
            CoreApiProfile.writeTokens(state.resolve("tokens"));
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fabric8 client of the core at {@code root} as its admin, with the {@code namespaces} it needs (made if missing). */
    public static KubernetesClient adminClient(URL root, String... namespaces) {
        KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(root.toString())
                .withOauthToken(CoreApiTokens.ADMIN).withRequestRetryBackoffLimit(0).build()).build();
        for (String ns : namespaces) {
            if (client.namespaces().withName(ns).get() == null) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
            }
        }
        return client;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("berth.state-dir", STATE.toString(), "berth.auth.tokens-file", STATE.resolve("tokens").toString(),
                "berth.proxy.port-range-start", Integer.toString(PROXY_PORTS));
    }
}
