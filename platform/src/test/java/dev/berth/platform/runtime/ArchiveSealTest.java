package dev.berth.platform.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An archive is used only as it was sealed: a damaged byte anywhere, another size or no seal at all say no. */
class ArchiveSealTest {

    @TempDir
    Path dir;

    Path archive() throws Exception {
        byte[] bytes = new byte[3 * (1 << 20) + 17]; // more than one read buffer
        new Random(7).nextBytes(bytes);
        return Files.write(dir.resolve("app.jsa"), bytes);
    }

    @Test
    void aSealedArchiveIsIntactUntilAByteChanges() throws Exception {
        Path a = archive();
        assertThat(ArchiveSeal.intact(a)).as("no seal yet").isFalse();
        ArchiveSeal.seal(a);
        assertThat(ArchiveSeal.intact(a)).isTrue();
        long time = Files.getLastModifiedTime(a).toMillis();
        try (RandomAccessFile f = new RandomAccessFile(a.toFile(), "rw")) {
            f.seek(2 * (1 << 20) + 5); // deep inside, past the header a JVM checks
            int b = f.read();
            f.seek(2 * (1 << 20) + 5);
            f.write(b ^ 0x01);
        }
        Files.setLastModifiedTime(a, java.nio.file.attribute.FileTime.fromMillis(time)); // same size, same time
        assertThat(ArchiveSeal.intact(a)).as("one bit flipped, size and time kept").isFalse();
    }

    @Test
    void anotherSizeOrAnUnreadableSealIsNotIntact() throws Exception {
        Path a = archive();
        ArchiveSeal.seal(a);
        Files.write(a, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
        assertThat(ArchiveSeal.intact(a)).isFalse();
        ArchiveSeal.seal(a);
        assertThat(ArchiveSeal.intact(a)).isTrue();
        Files.writeString(ArchiveSeal.sealOf(a), "junk");
        assertThat(ArchiveSeal.intact(a)).isFalse();
        ArchiveSeal.remove(a);
        assertThat(a).doesNotExist();
        assertThat(ArchiveSeal.sealOf(a)).doesNotExist();
        assertThat(ArchiveSeal.intact(a)).isFalse();
    }
}
