package dev.berth.platform.cli;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.runtime.ArchiveSeal;
import dev.berth.platform.runtime.HostJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The core's class-data archive with real JVMs: recorded, written on demand by jcmd, sealed, mapped, and dropped when
 * damaged — on the JVM running the tests (AppCDS on JDK 17) and on a JDK 25+ when this machine has one (the AOT cache).
 */
class CoreArchiveTest {

    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @TempDir
    Path dir;

    /** A stand-in for the core: prints "up", then waits to be told to dump (or, with an argument, exits at once). */
    public static final class Idle {
        public static void main(String[] args) throws Exception {
            System.out.println("up");
            System.out.flush();
            if (args.length == 0) {
                Thread.sleep(120_000);
            }
        }
    }

    /** A jar of {@link Idle} alone: a JVM cannot write an archive with a non-empty directory on its classpath. */
    Path idleJar() throws Exception {
        Path jar = dir.resolve("idle.jar");
        if (!Files.exists(jar)) {
            String entry = Idle.class.getName().replace('.', '/') + ".class";
            try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
                 var in = Idle.class.getClassLoader().getResourceAsStream(entry)) {
                out.putNextEntry(new java.util.jar.JarEntry(entry));
                in.transferTo(out);
                out.closeEntry();
            }
        }
        return jar;
    }

    /** The tests' own JVM, and the first JDK 25 or newer under /usr/lib/jvm (the AOT cache) when there is one. */
    static Stream<Path> javas() throws IOException {
        List<Path> javas = new ArrayList<>(List.of(JAVA));
        Path jvmDir = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvmDir)) {
            try (Stream<Path> dirs = Files.list(jvmDir)) {
                dirs.filter(d -> Files.isRegularFile(d.resolve("release")) && !Files.isSymbolicLink(d))
                        .filter(d -> HostJvm.of(d).feature() >= 25).sorted().limit(1).map(d -> d.resolve("bin").resolve("java")).forEach(javas::add);
            }
        }
        return javas.stream();
    }

    static boolean aotCache(Path java) throws IOException {
        return HostJvm.of(java.toRealPath().getParent().getParent()).feature() >= 25;
    }

    Process jvm(Path java, CoreArchive archive, List<String> flags, String... args) throws Exception {
        List<String> command = new ArrayList<>(archive == null ? List.of() : archive.launcher());
        command.add(java.toString());
        command.addAll(flags);
        command.addAll(List.of("-cp", idleJar().toString(), Idle.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    Path app() throws Exception {
        Path app = Files.createDirectories(dir.resolve("quarkus-app"));
        Files.writeString(app.resolve("quarkus-run.jar"), "the core");
        return app.resolve("quarkus-run.jar");
    }

    @ParameterizedTest
    @MethodSource("javas")
    void aFirstStartRecordsTheNextMapsWhatJcmdWroteAndADamagedArchiveIsDropped(Path java) throws Exception {
        boolean aot = aotCache(java);
        Path state = dir.resolve("state");
        Path jar = app();
        CoreArchive first = CoreArchive.of(state, jar, java);
        assertThat(first.used()).isFalse();
        assertThat(first.file().getFileName().toString()).endsWith(aot ? ".aot" : ".jsa");
        assertThat(first.flags()).anyMatch(f -> aot ? f.startsWith("-XX:AOTCacheOutput=") : f.equals("-XX:+RecordDynamicDumpInfo"));

        Process core = jvm(java, first, first.flags());
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(core.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("up");
            assertThat(first.write(core.pid())).startsWith(aot ? "AOT cache written (" : "class-data archive written (");
        } finally {
            core.destroyForcibly().waitFor();
        }
        assertThat(first.file()).exists();
        assertThat(ArchiveSeal.intact(first.file())).isTrue();
        try (var files = Files.list(first.file().getParent())) {
            assertThat(files.map(f -> f.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder(first.file().getFileName().toString(), first.file().getFileName() + ".crc32c");
        }

        CoreArchive second = CoreArchive.of(state, jar, java);
        assertThat(second.used()).isTrue();
        assertThat(second.flags()).contains((aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + first.file());
        List<String> mapOrFail = new ArrayList<>(second.flags());
        mapOrFail.add(aot ? "-XX:AOTMode=on" : "-Xshare:on"); // fails to start, instead of starting cold, when the archive does not map
        Process mapped = jvm(java, second, mapOrFail, "exit");
        String said = new String(mapped.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(mapped.waitFor()).as(said).isZero();
        assertThat(said).isEqualTo("up\n");
        assertThat(second.write(42)).as("a core that mapped its archive writes none").startsWith("class-data archive in use");

        try (RandomAccessFile f = new RandomAccessFile(first.file().toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0xff);
        }
        CoreArchive damaged = CoreArchive.of(state, jar, java);
        assertThat(damaged.used()).as("a damaged archive would crash JDK 17's JVM: not used").isFalse();
        assertThat(first.file()).as("removed, to be written anew").doesNotExist();
    }

    /** A JDK 25 core that was killed before it was told to write leaves its recording: removed at the next start. */
    @ParameterizedTest
    @MethodSource("javas")
    void aRecordingLeftByAKilledCoreIsRemoved(Path java) throws Exception {
        Path state = dir.resolve("state");
        Path jar = app();
        CoreArchive first = CoreArchive.of(state, jar, java);
        Path recording = first.file().resolveSibling(first.file().getFileName() + ".recording");
        Files.createDirectories(recording.getParent());
        Files.writeString(recording, "half an AOT cache");
        CoreArchive next = CoreArchive.of(state, jar, java);
        assertThat(next.used()).isFalse();
        assertThat(recording).doesNotExist();
    }

    @Test
    void anotherBuildOfTheCoreHasAnotherArchive() throws Exception {
        Path jar = app();
        String before = CoreArchive.key(jar.getParent(), JAVA);
        assertThat(CoreArchive.key(jar.getParent(), JAVA)).isEqualTo(before);
        Files.writeString(jar, "the core, rebuilt");
        assertThat(CoreArchive.key(jar.getParent(), JAVA)).isNotEqualTo(before);
    }

    @ParameterizedTest
    @MethodSource("javas")
    void aJvmThatCannotDumpLeavesNoArchiveAndSaysWhy(Path java) throws Exception {
        Path state = dir.resolve("state");
        CoreArchive archive = CoreArchive.of(state, app(), java);
        Process plain = jvm(java, archive, List.of()); // not recording: jcmd's dump is refused
        try {
            await().atMost(30, SECONDS).until(() -> plain.getInputStream().available() > 0);
            assertThat(archive.write(plain.pid())).startsWith(aotCache(java) ? "no class-data archive: jcmd AOT.end_recording said: "
                    : "no class-data archive: jcmd VM.cds dynamic_dump said: ");
        } finally {
            plain.destroyForcibly().waitFor();
        }
        assertThat(archive.file()).doesNotExist();
    }
}
