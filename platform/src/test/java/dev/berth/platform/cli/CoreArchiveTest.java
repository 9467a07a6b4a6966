package dev.berth.platform.cli;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.platform.runtime.ArchiveSeal;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core's class-data archive with real JVMs: recorded, written on demand by jcmd, sealed, mapped, and dropped when damaged. */
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

    Process jvm(CoreArchive archive, List<String> flags, String... args) throws Exception {
        List<String> command = new ArrayList<>(archive == null ? List.of() : archive.launcher());
        command.add(JAVA.toString());
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

    @Test
    void aFirstStartRecordsTheNextMapsWhatJcmdWroteAndADamagedArchiveIsDropped() throws Exception {
        Path state = dir.resolve("state");
        Path jar = app();
        CoreArchive first = CoreArchive.of(state, jar, JAVA);
        assertThat(first.used()).isFalse();
        assertThat(first.flags()).contains("-XX:+RecordDynamicDumpInfo");

        Process core = jvm(first, first.flags());
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(core.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("up");
            assertThat(first.write(core.pid())).startsWith("class-data archive written (");
        } finally {
            core.destroyForcibly().waitFor();
        }
        assertThat(first.file()).exists();
        assertThat(ArchiveSeal.intact(first.file())).isTrue();
        try (var files = Files.list(first.file().getParent())) {
            assertThat(files.map(f -> f.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder(first.file().getFileName().toString(), first.file().getFileName() + ".crc32c");
        }

        CoreArchive second = CoreArchive.of(state, jar, JAVA);
        assertThat(second.used()).isTrue();
        assertThat(second.flags()).contains("-XX:SharedArchiveFile=" + first.file());
        List<String> mapOrFail = new ArrayList<>(second.flags());
        mapOrFail.add("-Xshare:on"); // fails to start, instead of starting cold, when the archive does not map
        Process mapped = jvm(second, mapOrFail, "exit");
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
        CoreArchive damaged = CoreArchive.of(state, jar, JAVA);
        assertThat(damaged.used()).as("a damaged archive would crash JDK 17's JVM: not used").isFalse();
        assertThat(first.file()).as("removed, to be written anew").doesNotExist();
    }

    @Test
    void anotherBuildOfTheCoreHasAnotherArchive() throws Exception {
        Path jar = app();
        String before = CoreArchive.key(jar.getParent(), JAVA);
        assertThat(CoreArchive.key(jar.getParent(), JAVA)).isEqualTo(before);
        Files.writeString(jar, "the core, rebuilt");
        assertThat(CoreArchive.key(jar.getParent(), JAVA)).isNotEqualTo(before);
    }

    @Test
    void aJvmThatCannotDumpLeavesNoArchiveAndSaysWhy() throws Exception {
        Path state = dir.resolve("state");
        CoreArchive archive = CoreArchive.of(state, app(), JAVA);
        Process plain = jvm(archive, List.of()); // not recording: jcmd's dynamic_dump is refused
        try {
            await().atMost(30, SECONDS).until(() -> plain.getInputStream().available() > 0);
            assertThat(archive.write(plain.pid())).startsWith("no class-data archive: jcmd VM.cds dynamic_dump said: ");
        } finally {
            plain.destroyForcibly().waitFor();
        }
        assertThat(archive.file()).doesNotExist();
    }
}
