package dev.berth.platform.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The archive plans, without a JVM run: which flags a launch gets, and when an archive present is not used. */
class ClassDataArchivesTest {

    static final String DIGEST = "sha256:" + "ab".repeat(32);

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "'JAVA_VERSION=\"17.0.15\"\nJAVA_RUNTIME_VERSION=\"17.0.15+6-Debian-1deb12u1\"', 17.0.15+6-Debian-1deb12u1, 17",
        "'JAVA_VERSION=\"25.0.3\"\nJAVA_RUNTIME_VERSION=\"25.0.3+9-LTS\"', 25.0.3+9-LTS, 25",
        "'JAVA_VERSION=\"1.8.0_452\"', 1.8.0_452, 8",
    })
    void theJvmsVersionComesFromItsReleaseFile(String release, String version, int feature) throws Exception {
        Path home = Files.createDirectories(dir.resolve("jdk-" + feature));
        Files.writeString(home.resolve("release"), release.replace("\\n", "\n"));
        HostJvm jvm = HostJvm.of(home);
        assertThat(jvm.version()).isEqualTo(version);
        assertThat(jvm.feature()).isEqualTo(feature);
        assertThat(jvm.key()).startsWith("jdk" + version.replaceAll("[^A-Za-z0-9.]", "_") + "-").doesNotContain("/");
    }

    @Test
    void theFirstStartWritesOneWriterAtATimeAndTheArchiveIsUsedOnceInPlace() throws Exception {
        ClassDataArchives archives = new ClassDataArchives(dir.resolve("class-data"), jvm(17), true);
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));

        ClassDataArchives.Use first = archives.forImage(DIGEST, rootfs, null, false);
        assertThat(first.status()).startsWith("writing ");
        assertThat(first.flags()).anyMatch(f -> f.startsWith("-XX:ArchiveClassesAtExit=")).noneMatch(f -> f.startsWith("-Xshare"));
        assertThat(archives.forImage(DIGEST, rootfs, null, false).status()).startsWith("none: another replica is writing");

        Path written = Path.of(first.flags().get(0).substring("-XX:ArchiveClassesAtExit=".length()));
        Files.write(written, header(ClassDataArchives.DYNAMIC_MAGIC));
        assertThat(first.finish()).hasValueSatisfying(w -> assertThat(w.message()).startsWith("Wrote class-data archive " + w.archive()));
        assertThat(first.finish()).isEmpty();

        ClassDataArchives.Use later = archives.forImage(DIGEST, rootfs, null, false);
        assertThat(later.status()).startsWith("used " + dir.resolve("class-data"));
        assertThat(later.flags()).singleElement().asString().startsWith("-XX:SharedArchiveFile=").contains("ab".repeat(32));
        assertThat(archives.forImage("sha256:" + "cd".repeat(32), rootfs, null, false).status()).as("another digest").startsWith("writing ");
    }

    @Test
    void anArchiveDamagedBehindItsHeaderIsNotUsedButWrittenAgain() throws Exception {
        // JDK 17 maps a dynamic archive after checking its header only: a flipped byte further in crashed the JVM (SIGSEGV)
        ClassDataArchives archives = new ClassDataArchives(dir.resolve("class-data"), jvm(17), true);
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        ClassDataArchives.Use first = archives.forImage(DIGEST, rootfs, null, false);
        Path written = Path.of(first.flags().get(0).substring("-XX:ArchiveClassesAtExit=".length()));
        byte[] archive = new byte[64 * 1024];
        System.arraycopy(header(ClassDataArchives.DYNAMIC_MAGIC), 0, archive, 0, 4);
        Files.write(written, archive);
        Path placed = first.finish().orElseThrow().archive();
        assertThat(archives.forImage(DIGEST, rootfs, null, false).status()).startsWith("used ");

        byte[] damaged = Files.readAllBytes(placed);
        damaged[40_000] ^= 0x10;
        FileTime time = Files.getLastModifiedTime(placed);
        Files.write(placed, damaged);
        Files.setLastModifiedTime(placed, time);
        ClassDataArchives.Use again = archives.forImage(DIGEST, rootfs, null, false);
        assertThat(again.status()).startsWith("writing ").contains("does not match the size and CRC-32C sealed when it was written");
        assertThat(placed).as("removed, to be written again").doesNotExist();
    }

    @Test
    void aWriterThatLeftNoArchiveGivesUpItsPlace() throws Exception {
        ClassDataArchives archives = new ClassDataArchives(dir.resolve("class-data"), jvm(25), true);
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        ClassDataArchives.Use killed = archives.forImage(DIGEST, rootfs, null, false);
        assertThat(killed.flags()).anyMatch(f -> f.startsWith("-XX:AOTCacheOutput="));
        Path written = Path.of(killed.flags().get(0).substring("-XX:AOTCacheOutput=".length()));
        Files.write(written, new byte[] {0, 0}); // cut short

        assertThat(killed.finish()).isEmpty();
        assertThat(written.getParent()).doesNotExist();
        assertThat(archives.forImage(DIGEST, rootfs, null, false).status()).startsWith("writing ");
    }

    @Test
    void anArchiveOlderThanTheImagesRootIsWrittenAgain() throws Exception {
        ClassDataArchives archives = new ClassDataArchives(dir.resolve("class-data"), jvm(17), true);
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        ClassDataArchives.Use first = archives.forImage(DIGEST, rootfs, null, false);
        Files.write(Path.of(first.flags().get(0).substring("-XX:ArchiveClassesAtExit=".length())), header(ClassDataArchives.DYNAMIC_MAGIC));
        first.finish();
        try (var files = Files.list(dir.resolve("class-data"))) {
            Path archive = files.filter(f -> f.toString().endsWith(".jsa")).findFirst().orElseThrow();
            Files.setLastModifiedTime(archive, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        }
        assertThat(archives.forImage(DIGEST, rootfs, null, false).status()).startsWith("writing ").contains("is older than the image's root");
    }

    @Test
    void turnedOffOrWithoutDigestNoFlags() throws Exception {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        assertThat(new ClassDataArchives(dir.resolve("a"), jvm(17), false).forImage(DIGEST, rootfs, null, false).flags()).isEmpty();
        ClassDataArchives.Use noDigest = new ClassDataArchives(dir.resolve("b"), jvm(17), true).forImage("latest", rootfs, null, false);
        assertThat(noDigest.flags()).isEmpty();
        assertThat(noDigest.status()).isEqualTo("none: the image has no sha256 digest to key an archive by");
        assertThat(new ClassDataArchives(dir.resolve("c"), jvm(11), true).forImage(DIGEST, rootfs, null, false).status()).startsWith("none: JDK 11");
    }

    private HostJvm jvm(int feature) {
        return new HostJvm(dir.resolve("jdk"), feature + ".0.1+1", feature);
    }

    private static byte[] header(int magic) {
        return ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putInt(magic).array();
    }
}
