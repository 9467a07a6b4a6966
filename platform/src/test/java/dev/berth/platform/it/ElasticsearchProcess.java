package dev.berth.platform.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real Elasticsearch 8.19 node (the install made by {@code ci/elasticsearch.sh install}) on 127.0.0.1:port, single
 * node, security off, 512 MB heap, keeping its config copy, data and logs in the directory it is given, so that a
 * {@link #restart()} finds every acknowledged document again. Elasticsearch refuses to run as root: as root the node
 * runs as {@code nobody}, so the directory's parents must be enterable by others (not under /root, not in a JUnit
 * {@code @TempDir}, which is mode 700: use a directory under {@code target/}).
 * Not thread-safe: one test drives it.
 */
final class ElasticsearchProcess implements AutoCloseable {

    static final String VERSION = "8.19.21";
    private static final String RUN_AS_WHEN_ROOT = "nobody";

    final int port;
    private final Path home;
    private final Path dir;
    private final Thread stopAtExit = new Thread(this::stop, "elasticsearch-stop");
    private volatile ProcessHandle node;

    private ElasticsearchProcess(int port, Path home, Path dir) {
        this.port = port;
        this.home = home;
        this.dir = dir;
    }

    private static final Path SHARED = Path.of("/var/lib/berth/it");

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("could not remove " + dir + ": " + e); // test data left behind, not a test failure
        }
    }

    private static Path nodeDirectory(Path wanted) {
        if (!isRoot()) {
            return wanted;
        }
        try {
            Files.createDirectories(wanted.getParent());
            Process reach = new ProcessBuilder("runuser", "-u", RUN_AS_WHEN_ROOT, "--", "test", "-x", wanted.getParent().toString())
                    .redirectErrorStream(true).start();
            if (reach.waitFor() == 0) {
                return wanted;
            }
            Path shared = Files.createDirectories(SHARED);
            Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            return shared.resolve(wanted.getFileName() + "-" + System.nanoTime());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A free port for Elasticsearch's HTTP listener (its transport port picks a free one of 9300-9399 itself). */
    static int freePort() {
        return PrometheusProcess.freePort();
    }

    /**
     * Starts a node on {@code port} keeping everything in {@code dir} (created if missing) and waits for yellow. As
     * root, when {@code dir} lies below a directory closed to the node's user (a CI workspace under a private
     * parent), the node's files go to {@code /var/lib/berth/it/} instead.
     */
    static ElasticsearchProcess start(int port, Path dir) {
        ElasticsearchProcess es = new ElasticsearchProcess(port, installation(), nodeDirectory(dir.toAbsolutePath().normalize()));
        // a test that dies halfway must not leave a node behind
        Runtime.getRuntime().addShutdownHook(es.stopAtExit);
        try {
            es.launch();
        } catch (RuntimeException e) {
            es.close();
            throw e;
        }
        return es;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** SIGTERM to the node, then waits until it has exited (SIGKILL after 60 s). Idempotent. */
    void stop() {
        ProcessHandle running = node;
        if (running == null || !running.isAlive()) {
            return;
        }
        running.destroy();
        try {
            running.onExit().get(60, SECONDS);
        } catch (TimeoutException e) {
            running.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        node = null;
    }

    /** Starts the node again on the same port with the same data, e.g. after {@link #stop()}. */
    void restart() {
        stop();
        launch();
    }

    @Override
    public void close() {
        stop();
        if (dir.startsWith(SHARED)) {
            deleteQuietly(dir); // a stand-in directory outside the build: nothing else would ever remove it
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: nothing left to undo
        }
    }

    /** $BERTH_ELASTICSEARCH_HOME, else where ci/elasticsearch.sh installs it. */
    private static Path installation() {
        String configured = System.getenv("BERTH_ELASTICSEARCH_HOME");
        Path home;
        if (configured != null && !configured.isBlank()) {
            home = Path.of(configured);
        } else if (isRoot()) {
            home = Path.of("/opt/berth/elasticsearch-" + VERSION);
        } else {
            String state = System.getenv("BERTH_STATE");
            home = (state == null || state.isBlank() ? Path.of(System.getProperty("user.home"), ".berth") : Path.of(state))
                    .resolve("elasticsearch-" + VERSION);
        }
        if (!Files.isExecutable(home.resolve("bin/elasticsearch"))) {
            throw new IllegalStateException("Elasticsearch " + VERSION + " is not installed in " + home
                    + ": run ci/elasticsearch.sh install (or set BERTH_ELASTICSEARCH_HOME)");
        }
        return home;
    }

    private void launch() {
        Path out = dir.resolve("elasticsearch.out");
        Path pidFile = dir.resolve("elasticsearch.pid");
        try {
            prepareDirectory();
            Files.deleteIfExists(pidFile);
            List<String> command = new ArrayList<>();
            if (isRoot()) {
                command.addAll(List.of("runuser", "-u", RUN_AS_WHEN_ROOT, "--"));
            }
            String javaHome = System.getenv().getOrDefault("ES_JAVA_HOME", System.getProperty("java.home"));
            command.addAll(List.of("env", "ES_JAVA_HOME=" + javaHome, "ES_PATH_CONF=" + dir.resolve("config"),
                    "ES_JAVA_OPTS=-Xms512m -Xmx512m",
                    // -d: the launcher returns once the node is up (or has failed); -p: the node's own pid
                    home.resolve("bin/elasticsearch").toString(), "-d", "-p", pidFile.toString(),
                    "-E", "discovery.type=single-node", "-E", "xpack.security.enabled=false",
                    "-E", "network.host=127.0.0.1", "-E", "http.port=" + port,
                    "-E", "path.data=" + dir.resolve("data"), "-E", "path.logs=" + dir.resolve("logs")));
            Process launcher = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!launcher.waitFor(180, SECONDS)) {
                launcher.destroyForcibly();
                throw new IllegalStateException("Elasticsearch launcher did not return within 180 s; see " + out);
            }
            if (launcher.exitValue() != 0) {
                throw new IllegalStateException("Elasticsearch did not start (exit " + launcher.exitValue() + "):\n" + tail(out));
            }
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            node = ProcessHandle.of(pid).orElse(null);
            if (node == null) {
                throw new IllegalStateException("Elasticsearch (pid " + pid + ") exited right after starting:\n" + tail(out));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Elasticsearch from " + home, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        HttpClient http = HttpClient.newHttpClient();
        // no GET / probe: this distribution answers it with 405
        URI health = URI.create(url() + "/_cluster/health?wait_for_status=yellow&timeout=1s");
        await("Elasticsearch yellow on " + port).atMost(120, SECONDS).ignoreExceptions().until(() ->
                http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /** config/ (a copy: the node writes its keystore there), data/ and logs/, all owned by the user the node runs as. */
    private void prepareDirectory() throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("logs"));
        Path config = dir.resolve("config");
        if (!Files.isDirectory(config)) {
            copyTree(home.resolve("config"), config);
        }
        if (!isRoot()) {
            return;
        }
        UserPrincipal runAs = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(RUN_AS_WHEN_ROOT);
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setOwner(p, runAs);
            }
        }
        Process canWrite = new ProcessBuilder("runuser", "-u", RUN_AS_WHEN_ROOT, "--", "test", "-w", dir.resolve("data").toString())
                .redirectErrorStream(true).start();
        if (canWrite.waitFor() != 0) {
            throw new IllegalStateException(RUN_AS_WHEN_ROOT + " cannot write " + dir.resolve("data")
                    + ": a parent directory is closed to others (e.g. /root or a JUnit @TempDir); use a directory under target/");
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path source : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
