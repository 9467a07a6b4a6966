package dev.berth.platform.cli;

import dev.berth.platform.runtime.ArchiveSeal;
import dev.berth.platform.runtime.ClassDataArchives;
import dev.berth.platform.runtime.HostJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The core's class-data archive: {@code <state>/class-data/core-<key>.jsa} (AppCDS, JDK 17–24) or {@code .aot} (the
 * AOT cache, JDK 25+: classes loaded and linked, lambdas and method handles resolved), keyed by the JVM and by every
 * file of the packaged core (path, size, time), so a rebuild or another JDK starts cold once and writes a new one. A
 * core started without an intact archive records what it loads ({@code -XX:+RecordDynamicDumpInfo}, or
 * {@code -XX:AOTCacheOutput} into a temporary file); whoever started it has it write the archive once it has done its
 * work ({@code jcmd <pid> VM.cds dynamic_dump} or {@code AOT.end_recording}: the classes of start-up, the API, the
 * controllers and the kubelet), into a temporary file moved into place and sealed ({@link ArchiveSeal}). The next start
 * maps it. An archive that is not intact is removed before the start; the JVM runs with {@code -Xshare:auto} (the AOT
 * cache's default mode is auto too), so one it still rejects costs a cold start, never a failed one.
 */
final class CoreArchive {

    private final Path file;
    private final Path jcmd;
    private final boolean intact;
    private final boolean aotCache;

    private CoreArchive(Path file, Path jcmd, boolean intact, boolean aotCache) {
        this.file = file;
        this.jcmd = jcmd;
        this.intact = intact;
        this.aotCache = aotCache;
    }

    /** The archive of the core in {@code coreJar}'s directory run by {@code java}; a damaged or unsealed one is removed. */
    static CoreArchive of(Path stateDir, Path coreJar, Path java) {
        try {
            boolean aotCache = HostJvm.of(java.toRealPath().getParent().getParent()).feature() >= 25;
            Path file = stateDir.resolve("class-data").resolve("core-" + key(coreJar.toAbsolutePath().getParent(), java) + (aotCache ? ".aot" : ".jsa"));
            boolean intact = Files.exists(file) && ArchiveSeal.intact(file);
            if (!intact) {
                ArchiveSeal.remove(file);
                Files.deleteIfExists(recording(file)); // what a core killed before it was told to write left
                if (aotCache) {
                    Files.createDirectories(file.getParent()); // the recording JVM writes its configuration beside the cache from its start
                }
            }
            return new CoreArchive(file, java.resolveSibling("jcmd"), intact, aotCache);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the core's class-data archive", e);
        }
    }

    /** Where a recording JDK 25+ core writes its AOT cache when told (or, never told, at its exit). */
    private static Path recording(Path file) {
        return file.resolveSibling(file.getFileName() + ".recording");
    }

    Path file() {
        return file;
    }

    /** Whether the start maps the archive (else it records, for {@link #write}). */
    boolean used() {
        return intact;
    }

    /**
     * What to run the JVM under: when it records, {@code env --default-signal=QUIT}. jcmd reaches a JVM by SIGQUIT, and
     * a JVM keeps SIGQUIT ignored when it inherits it so (every command a non-interactive shell puts in the
     * background does): it would never answer. Nothing where env lacks the option (coreutils before 8.31): a JVM
     * that does not answer writes no archive and says so.
     */
    List<String> launcher() {
        return !intact && ENV_RESETS_SIGNALS ? List.of("env", "--default-signal=QUIT") : List.of();
    }

    private static final boolean ENV_RESETS_SIGNALS = envResetsSignals();

    private static boolean envResetsSignals() {
        try {
            Process p = new ProcessBuilder("env", "--default-signal=QUIT", "true").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The JVM flags: map the archive, or record for a dump when told; the JVM's CDS warnings off the core's log. */
    List<String> flags() {
        if (aotCache) {
            return intact ? List.of("-XX:AOTCache=" + file, "-Xlog:aot=error") : List.of("-XX:AOTCacheOutput=" + recording(file), "-Xlog:aot=error");
        }
        return intact ? List.of("-XX:SharedArchiveFile=" + file, "-Xshare:auto", "-Xlog:cds=error", "-Xlog:cds+dynamic=error")
                : List.of("-XX:+RecordDynamicDumpInfo", "-Xlog:cds=error", "-Xlog:cds+dynamic=error");
    }

    /**
     * Has the core (started with {@link #flags()} while not {@link #used()}) write its archive now.
     *
     * @return what happened, for the user: written (with its size), or why not
     */
    String write(long pid) {
        if (intact) {
            return "class-data archive in use: " + file;
        }
        if (!Files.isExecutable(jcmd)) {
            return "no class-data archive: " + jcmd + " is missing (a JRE without the JDK's tools)";
        }
        // AppCDS: written where jcmd says; the AOT cache: where the core was told at its start
        Path writing = aotCache ? recording(file) : file.resolveSibling(file.getFileName() + ".writing-" + pid);
        List<String> command = aotCache ? List.of(jcmd.toString(), Long.toString(pid), "AOT.end_recording")
                : List.of(jcmd.toString(), Long.toString(pid), "VM.cds", "dynamic_dump", writing.toString());
        try {
            Files.createDirectories(file.getParent());
            Process dump = new ProcessBuilder(command).redirectErrorStream(true).start();
            String said = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!dump.waitFor(2, TimeUnit.MINUTES) || dump.exitValue() != 0 || !ClassDataArchives.hasMagic(writing, aotCache ? ClassDataArchives.STATIC_MAGIC : ClassDataArchives.DYNAMIC_MAGIC)) {
                dump.destroyForcibly();
                return "no class-data archive: jcmd " + String.join(" ", command.subList(2, aotCache ? 3 : 4)) + " said: "
                        + said.lines().reduce((a, b) -> b).orElse("nothing");
            }
            Files.move(writing, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            ArchiveSeal.seal(file);
            return (aotCache ? "AOT cache" : "class-data archive") + " written (" + Files.size(file) / (1 << 20) + " MiB): the next start maps it";
        } catch (IOException e) {
            return "no class-data archive: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no class-data archive: interrupted";
        } finally {
            try {
                Files.deleteIfExists(writing);
            } catch (IOException e) {
                System.err.println("cannot remove " + writing + ": " + e.getMessage());
            }
        }
    }

    /** SHA-256 of the JVM (its real path and version) and of every file of the packaged core: path, size and time. */
    static String key(Path app, Path java) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((java.toRealPath() + "\n" + HostJvm.of(java.toRealPath().getParent().getParent()).version() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            try (Stream<Path> files = Files.walk(app)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    sha.update((app.relativize(f) + " " + Files.size(f) + " " + Files.getLastModifiedTime(f).toMillis() + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
