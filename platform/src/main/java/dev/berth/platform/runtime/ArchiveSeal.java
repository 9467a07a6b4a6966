package dev.berth.platform.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32C;

/**
 * A class-data archive's seal: its size and CRC-32C, written beside it ({@code <archive>.crc32c}) when it is put in
 * place and checked before every use. JDK 17 checks only a dynamic archive's header before mapping it: an archive
 * whose contents are damaged (a bad disk block, a stray write) crashes the JVM with SIGSEGV instead of costing a cold
 * start. {@code -XX:+VerifySharedSpaces} checks the contents, but with zlib's CRC over every region on every start
 * (about half of what the archive saves, measured on the CLI); CRC-32C is a CPU instruction here, a few milliseconds for
 * tens of MiB in the page cache.
 */
public final class ArchiveSeal {

    private ArchiveSeal() {}

    static Path sealOf(Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".crc32c");
    }

    /** Records {@code archive}'s size and checksum (written to a temporary file, then renamed over the old seal). */
    public static void seal(Path archive) throws IOException {
        Path seal = sealOf(archive);
        Path tmp = seal.resolveSibling(seal.getFileName() + ".tmp");
        Files.writeString(tmp, Files.size(archive) + " " + Long.toHexString(crc32c(archive)) + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, seal, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Whether {@code archive} is as it was sealed: false without a seal, or when its size or checksum differ. */
    public static boolean intact(Path archive) throws IOException {
        String recorded;
        try {
            recorded = Files.readString(sealOf(archive), StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            return false;
        }
        String[] parts = recorded.split(" ");
        if (parts.length != 2 || !Files.isRegularFile(archive) || !parts[0].equals(Long.toString(Files.size(archive)))) {
            return false;
        }
        return parts[1].equals(Long.toHexString(crc32c(archive)));
    }

    /** Removes the archive and its seal; absent files are no error. */
    public static void remove(Path archive) throws IOException {
        Files.deleteIfExists(archive);
        Files.deleteIfExists(sealOf(archive));
    }

    static long crc32c(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue();
    }
}
