package dev.berth.platform.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Class-data archives of Java images, so that only the first start of an image on a JVM pays for loading and
 * verifying its classes: {@code <state>/class-data/<image digest>-<jvm key>.jsa} (AppCDS dynamic archive, JDK 13–24)
 * or {@code .aot} (the AOT cache, JDK 25+). The first replica of an image records what it loads
 * ({@code -XX:+RecordDynamicDumpInfo} / {@code -XX:AOTCacheOutput}); when its startup or readiness probe first passes
 * the kubelet has it write the archive into a private writing directory ({@code jcmd <pid> VM.cds dynamic_dump} /
 * {@code AOT.end_recording}) and moves it into place if it is a class-data archive at all (its magic number) — so the
 * replicas, restarts and rollouts after it use it while it runs, and no graceful exit is needed. A container without
 * such a probe, or a JVM without {@code jcmd}, writes at its exit ({@code -XX:ArchiveClassesAtExit}) instead. Every
 * later start of that image on that JVM runs with {@code -XX:SharedArchiveFile}/{@code -XX:AOTCache}.
 *
 * <p>Never a failed start: the JVM runs with {@code -Xshare:auto} (its default, never overridden here), so an archive
 * it rejects — corrupt, written by another JVM, for other jar files — costs a cold start only, and is removed once seen
 * unmapped ({@link Use#rejectedBy}). A file without the magic number, unlike the size and CRC-32C sealed when it was put
 * in place ({@link ArchiveSeal}: JDK 17 would crash on damaged contents), or older than the image's unpacked root (unpacked
 * again, so the jars' times changed), is removed and written anew. One writer per archive at a time; the others start
 * without one. Thread-safe.
 */
public final class ClassDataArchives {

    private static final Logger LOG = Logger.getLogger(ClassDataArchives.class);
    /** The first int of a dynamic (AppCDS) archive, little-endian on disk. */
    public static final int DYNAMIC_MAGIC = 0xf00baba8;
    /** The first int of a static archive, which is what the AOT cache is. */
    public static final int STATIC_MAGIC = 0xf00baba2;
    /** A dump on a loaded 2-core machine: a JDK 25 AOT cache's assembly took 14 s here. */
    private static final java.time.Duration DUMP_TIMEOUT = java.time.Duration.ofMinutes(2);

    /** How a JVM of a feature release writes and reads an archive. */
    enum Kind {
        APP_CDS(".jsa", DYNAMIC_MAGIC, "-XX:SharedArchiveFile=", "-Xlog:cds=error"),
        AOT_CACHE(".aot", STATIC_MAGIC, "-XX:AOTCache=", "-Xlog:aot=error");

        final String suffix;
        final int magic;
        final String read;
        /** Writing warns about every class it skips (JFR events, unlinked classes): errors only, in the replica's log. */
        final String quietWriting;

        Kind(String suffix, int magic, String read, String quietWriting) {
            this.suffix = suffix;
            this.magic = magic;
            this.read = read;
            this.quietWriting = quietWriting;
        }

        /** The first run's flags: it records, and writes {@code file} when told to ({@link #dump}) or else at its exit. */
        List<String> record(Path file, boolean whenReady) {
            return switch (this) {
                case APP_CDS -> List.of(whenReady ? "-XX:+RecordDynamicDumpInfo" : "-XX:ArchiveClassesAtExit=" + file, quietWriting);
                case AOT_CACHE -> List.of("-XX:AOTCacheOutput=" + file, quietWriting); // written at end_recording, else at exit
            };
        }

        /** The {@code jcmd} command that makes a running JVM, started with {@link #record}, write {@code file} now. */
        List<String> dump(Path file) {
            return switch (this) {
                case APP_CDS -> List.of("VM.cds", "dynamic_dump", file.toString());
                case AOT_CACHE -> List.of("AOT.end_recording");
            };
        }

        static Optional<Kind> of(int feature) {
            return feature >= 25 ? Optional.of(AOT_CACHE) : feature >= 13 ? Optional.of(APP_CDS) : Optional.empty();
        }

        /** Whether a running JVM of that release can be told to write its archive ({@code VM.cds dynamic_dump} came with 17). */
        static boolean dumpsWhenTold(int feature) {
            return feature >= 17;
        }
    }

    private final Path dir;
    private final Path writingDir;
    private final HostJvm jvm;
    private final boolean enabled;
    /** Archive file → the launch writing it. */
    private final Map<Path, Use> writers = new ConcurrentHashMap<>();

    /**
     * @param dir     {@code <state>/class-data}; what a core that stopped mid-write left in its {@code .writing/} is removed
     * @param enabled false: every launch runs without an archive ({@code berth.runtime.class-data-archives})
     */
    public ClassDataArchives(Path dir, HostJvm jvm, boolean enabled) {
        this.dir = dir.toAbsolutePath().normalize();
        this.writingDir = this.dir.resolve(".writing");
        this.jvm = jvm;
        this.enabled = enabled;
        removeTree(writingDir);
    }

    /** An archive a launch wrote, now in place; {@code message} for the pod's events. */
    public record Written(Path archive, String message) {}

    /**
     * What one launch of a Java image does about its archive: the JVM flags to add and, for {@code describe pod}, which
     * JVM runs it and whether an archive is used. Call {@link #finish()} once its process has ended (or never started).
     */
    public final class Use {
        private final String status;
        private final List<String> flags;
        private final Path archive;
        private final Path writing;
        private final Kind kind;
        /** The archive's time when this launch was given it (to remove it only if it is still that file). */
        private final FileTime used;
        private final boolean whenReady;
        private boolean finished;

        private Use(String status, List<String> flags, Path archive, Path writing, Kind kind, FileTime used, boolean whenReady) {
            this.status = status;
            this.flags = flags;
            this.archive = archive;
            this.writing = writing;
            this.kind = kind;
            this.used = used;
            this.whenReady = whenReady;
        }

        /** {@code used <file>}, {@code writing <file>} or {@code none: <reason>}. */
        public String status() {
            return status;
        }

        public List<String> flags() {
            return flags;
        }

        public HostJvm jvm() {
            return jvm;
        }

        /**
         * Checks, once the JVM of process {@code pid} is up, that it really maps the archive it was given
         * ({@code /proc/<pid>/maps}): a JVM that rejected it (corrupt, or not for these jars) ran without, and the
         * archive is removed so that the next start writes a good one.
         *
         * @return why the archive was removed; empty when it was used, or when this launch was given none
         */
        public Optional<String> rejectedBy(long pid) {
            if (used == null) {
                return Optional.empty();
            }
            try (var lines = Files.lines(Path.of("/proc", Long.toString(pid), "maps"))) {
                if (lines.anyMatch(l -> l.endsWith(" " + archive))) {
                    return Optional.empty();
                }
            } catch (NoSuchFileException gone) {
                return Optional.empty(); // exited meanwhile: nothing to tell
            } catch (IOException | UncheckedIOException e) {
                LOG.warnf("cannot read the memory map of pid %d to see whether it uses %s: %s", pid, archive, e.toString());
                return Optional.empty();
            }
            try {
                if (Files.exists(archive) && Files.getLastModifiedTime(archive).equals(used)) {
                    Files.delete(archive);
                }
            } catch (IOException e) {
                LOG.warnf(e, "cannot remove class-data archive %s, which the JVM rejected", archive);
            }
            LOG.warnf("pid %d did not map class-data archive %s (its JVM rejected it, see its log): removed, the next start writes it again",
                    pid, archive);
            return Optional.of("rejected by the JVM: " + archive + " (removed; the next start writes it again)");
        }

        /**
         * The replica is ready (its start-up is over, the classes it needs are loaded): a launch that writes the archive
         * when told has its JVM ({@code pid}) write it now, with {@code jcmd}, and the archive is moved into place —
         * so that further replicas and restarts use it while this one runs. Blocks for the dump (seconds). Idempotent.
         *
         * @return what was written, for the pod's events; empty when this launch writes no archive when ready
         */
        public synchronized Optional<Written> writeNow(long pid) {
            if (writing == null || !whenReady || finished) {
                return Optional.empty();
            }
            List<String> command = new java.util.ArrayList<>(List.of(jvm.home().resolve("bin").resolve("jcmd").toString(), Long.toString(pid)));
            command.addAll(kind.dump(writing));
            Path output = writing.resolveSibling("jcmd.out");
            try {
                Process jcmd = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
                boolean done = jcmd.waitFor(DUMP_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
                if (!done || jcmd.exitValue() != 0) {
                    jcmd.destroyForcibly();
                    LOG.warnf("%s did not write %s (%s): %s; the replica's exit may still", String.join(" ", command), writing,
                            done ? "exit " + jcmd.exitValue() : "timed out after " + DUMP_TIMEOUT, Files.readString(output).strip());
                    return Optional.empty();
                }
            } catch (IOException e) {
                LOG.warnf(e, "cannot run %s; the replica's exit may still write %s", command.get(0), writing);
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
            return finish();
        }

        /**
         * The process has ended: a writing launch's archive is moved into place if the JVM wrote one, and the writer's
         * place is given up. Idempotent; a second caller waits for the first, so that either returns with the archive in place.
         *
         * @return what was written, for the pod's events; empty when this launch wrote nothing (or another call reported it)
         */
        public synchronized Optional<Written> finish() {
            if (writing == null || finished) {
                return Optional.empty();
            }
            finished = true;
            try {
                return publish(this);
            } finally {
                writers.remove(archive, this);
                removeTree(writing.getParent());
            }
        }
    }

    /**
     * The archive plan for one start of the image with {@code digest}, unpacked at {@code rootfs}, run as {@code user}
     * (null: the core's own user).
     *
     * @param probed whether the container has a startup or readiness probe: the moment it first passes is when a first
     *               run writes the archive ({@link Use#writeNow}); without, it is written at the replica's exit
     */
    public Use forImage(String digest, Path rootfs, RunAs user, boolean probed) {
        Optional<Kind> kind = Kind.of(jvm.feature());
        if (!enabled) {
            return none("turned off (berth.runtime.class-data-archives=false)");
        }
        if (kind.isEmpty()) {
            return none("JDK " + jvm.feature() + " has no dynamic class-data archives (13 or newer has)");
        }
        if (digest == null || !digest.matches("sha256:[0-9a-f]{64}")) {
            return none("the image has no sha256 digest to key an archive by");
        }
        Path archive = dir.resolve(digest.substring("sha256:".length()) + "-" + jvm.key() + kind.get().suffix);
        String replaced = "";
        if (Files.exists(archive)) {
            Optional<String> unusable = unusable(archive, kind.get(), rootfs);
            if (unusable.isEmpty()) {
                return new Use("used " + archive, List.of(kind.get().read + archive), archive, null, kind.get(), modified(archive), false);
            }
            LOG.warnf("class-data archive %s %s: removing it, the next start writes it again", archive, unusable.get());
            delete(archive);
            replaced = " (the one there " + unusable.get() + ")";
        }
        boolean whenReady = probed && Kind.dumpsWhenTold(jvm.feature()) && Files.isExecutable(jvm.home().resolve("bin").resolve("jcmd"));
        return write(archive, kind.get(), user, replaced, whenReady);
    }

    private Use write(Path archive, Kind kind, RunAs user, String replaced, boolean whenReady) {
        Path writing = writingDir.resolve(archive.getFileName() + "." + UUID.randomUUID()).resolve(archive.getFileName());
        Use use = new Use("writing " + archive + (whenReady ? " once ready" : " at exit") + replaced, kind.record(writing, whenReady), archive, writing,
                kind, null, whenReady);
        if (writers.putIfAbsent(archive, use) != null) {
            return none("another replica is writing " + archive);
        }
        try {
            Files.createDirectories(writing.getParent());
            if (user != null) {
                // the replica's JVM writes the file: its own directory, reachable by its user
                user.own(writing.getParent(), RunAs.coreUid());
                user.reach(writing.getParent(), RunAs.coreUid());
            }
            return use;
        } catch (IOException | RuntimeException e) {
            writers.remove(archive, use);
            LOG.warnf(e, "cannot prepare a directory to write %s in; starting without an archive", archive);
            return none("cannot prepare " + writing.getParent() + ": " + e.getMessage());
        }
    }

    private Use none(String reason) {
        return new Use("none: " + reason, List.of(), null, null, null, null, false);
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the time of " + file, e);
        }
    }

    /** Why an archive present cannot be used, or empty when it can. */
    private static Optional<String> unusable(Path archive, Kind kind, Path rootfs) {
        try {
            if (!hasMagic(archive, kind.magic)) {
                return Optional.of("is not a class-data archive");
            }
            if (!ArchiveSeal.intact(archive)) {
                // JDK 17 checks an archive's header only: damaged contents would crash the replica's JVM (SIGSEGV)
                return Optional.of("does not match the size and CRC-32C sealed when it was written (damaged, or written by another core)");
            }
            FileTime unpacked = (FileTime) Files.getAttribute(rootfs, "unix:ctime");
            if (Files.getLastModifiedTime(archive).compareTo(unpacked) < 0) {
                return Optional.of("is older than the image's root " + rootfs + " (unpacked again: its jars changed)");
            }
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("cannot be checked (" + e + ")");
        }
    }

    /** Moves a written archive into place, atomically, once its writer has exited. */
    private Optional<Written> publish(Use use) {
        Kind kind = use.kind;
        try {
            if (!Files.exists(use.writing)) {
                LOG.infof("the JVM wrote no class-data archive %s (stopped before its exit ran); the next start writes it", use.writing);
                return Optional.empty();
            }
            if (!hasMagic(use.writing, kind.magic)) {
                LOG.warnf("the JVM left %s without a class-data archive's header (killed while writing?); dropped", use.writing);
                return Optional.empty();
            }
            long size = Files.size(use.writing);
            try {
                Files.move(use.writing, use.archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the writing directory and " + dir + " are on different file systems", e);
            }
            ArchiveSeal.seal(use.archive);
            LOG.infof("wrote class-data archive %s (%d KiB)", use.archive, size >> 10);
            return Optional.of(new Written(use.archive, "Wrote class-data archive " + use.archive + " (" + (size >> 20) + " MiB) for " + jvm));
        } catch (IOException e) {
            LOG.warnf(e, "cannot move class-data archive %s into place; the next start writes it again", use.writing);
            return Optional.empty();
        }
    }

    /** Whether {@code file} is a regular file that begins with {@code magic} (a class-data archive's first int, little-endian). */
    public static boolean hasMagic(Path file, int magic) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            int read = 0;
            while (head.hasRemaining() && read >= 0) {
                read = ch.read(head);
            }
            return !head.hasRemaining() && head.getInt(0) == magic;
        }
    }

    private static void delete(Path file) {
        try {
            ArchiveSeal.remove(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
    }

    /** Removes a directory tree, links inside it removed themselves (never followed). */
    private static void removeTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException gone) {
            LOG.debugf("%s is not there (nothing to remove)", gone.getFile());
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf(e, "cannot remove %s", root);
        }
    }
}
