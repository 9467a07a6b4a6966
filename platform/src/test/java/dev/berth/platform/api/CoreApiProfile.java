package dev.berth.platform.api;

import static dev.berth.platform.api.CoreApiTokens.ADMIN;
import static dev.berth.platform.api.CoreApiTokens.DEPLOYER;
import static dev.berth.platform.api.CoreApiTokens.DISCOVERY;
import static dev.berth.platform.api.CoreApiTokens.OTHER_VIEWER;
import static dev.berth.platform.api.CoreApiTokens.SHORT_ADMIN;
import static dev.berth.platform.api.CoreApiTokens.VIEWER;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The core in-process with its own state directory, a token per role and small stream caps, for the API tests that
 * need the real HTTP stack (authentication, authorization, streams). One profile, so Quarkus starts once for them all.
 */
public class CoreApiProfile implements QuarkusTestProfile {

    public static final int MAX_WATCHES = 3;
    public static final int MAX_WATCHES_PER_USER = 2;
    public static final int MAX_FOLLOWS_PER_USER = 2;
    public static final int WATCH_CACHE_SIZE = 50;

    public static final Path STATE = createState();

    private static Path createState() {
        try {
            Path state = Files.createDirectories(Path.of("target", "api-test-state", Long.toString(System.nanoTime())).toAbsolutePath());
            writeTokens(state.resolve("tokens"));
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@link CoreApiTokens} in the core's former token file format, which the core converts when it first reads it. */
    public static void writeTokens(Path file) throws IOException {
        Files.writeString(file, String.join("\n", ADMIN + " admin test-admin", DEPLOYER + " deployer ci",
                VIEWER + " viewer ops", OTHER_VIEWER + " viewer dev", DISCOVERY + " discovery prometheus", SHORT_ADMIN + " admin too-short", ""));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("berth.state-dir", STATE.toString(),
                "berth.auth.tokens-file", STATE.resolve("tokens").toString(),
                "berth.proxy.port-range-start", "39000",
                "berth.streams.max-watches", Integer.toString(MAX_WATCHES),
                "berth.streams.max-watches-per-user", Integer.toString(MAX_WATCHES_PER_USER),
                "berth.streams.max-follows-per-user", Integer.toString(MAX_FOLLOWS_PER_USER),
                "berth.streams.watch-cache-size", Integer.toString(WATCH_CACHE_SIZE));
    }
}
