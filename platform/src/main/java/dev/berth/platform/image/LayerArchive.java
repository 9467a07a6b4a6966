package dev.berth.platform.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks one image layer (a gzipped tar) over a root filesystem, honouring OCI whiteouts ({@code .wh.name}
 * deletes {@code name}; {@code .wh..wh..opq} empties a directory). Refuses entries that would escape the root.
 */
final class LayerArchive {

    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    private LayerArchive() {}

    static void unpack(Path layer, Path root) throws IOException {
        try (InputStream in = Files.newInputStream(layer);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in, 64 * 1024))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = inside(root, entry.getName());
                String fileName = target.getFileName() == null ? "" : target.getFileName().toString();
                if (fileName.equals(OPAQUE)) {
                    clear(target.getParent());
                    continue;
                }
                if (fileName.startsWith(WHITEOUT)) {
                    delete(target.resolveSibling(fileName.substring(WHITEOUT.length())));
                    continue;
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(inside(root, entry.getLinkName()), target, StandardCopyOption.REPLACE_EXISTING);
                } else if (entry.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, permissions(entry.getMode()));
                }
            }
        }
    }

    /** The entry's path under {@code root}; an entry that would land outside it is refused. */
    private static Path inside(Path root, String name) throws IOException {
        Path target = root.resolve(name.startsWith("/") ? name.substring(1) : name).normalize();
        if (!target.startsWith(root)) {
            throw new IOException("layer entry '" + name + "' escapes the image root");
        }
        return target;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> p = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        if ((mode & 0100) != 0) {
            p.add(PosixFilePermission.OWNER_EXECUTE);
        }
        if ((mode & 0040) != 0) {
            p.add(PosixFilePermission.GROUP_READ);
        }
        if ((mode & 0010) != 0) {
            p.add(PosixFilePermission.GROUP_EXECUTE);
        }
        if ((mode & 0004) != 0) {
            p.add(PosixFilePermission.OTHERS_READ);
        }
        if ((mode & 0001) != 0) {
            p.add(PosixFilePermission.OTHERS_EXECUTE);
        }
        return p;
    }

    private static void clear(Path dir) throws IOException {
        if (dir != null && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try (var children = Files.list(dir)) {
                for (Path c : children.toList()) {
                    delete(c);
                }
            }
        }
    }

    private static void delete(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (var walk = Files.walk(p)) {
                for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(x);
                }
            }
        } else {
            Files.deleteIfExists(p);
        }
    }
}
