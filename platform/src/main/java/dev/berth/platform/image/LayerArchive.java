package dev.berth.platform.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks one image layer (a gzipped tar) over a root filesystem, honouring OCI whiteouts ({@code .wh.name}
 * deletes {@code name}; {@code .wh..wh..opq} empties a directory).
 * <p>
 * The root is a plain directory the replica reads on the host (no chroot), so a symlink is followed as the host
 * would follow it: each entry's parent is resolved against what earlier entries put on disk, and an entry whose
 * parent passes through a symlink leading out of the root is refused, as are a hardlink to anything but a
 * regular file inside the root, a {@code ..} escape, and a layer over its {@link LayerLimits}. An entry's own
 * name is never followed: whatever is there is replaced (a symlink by a file, not the symlink's target).
 */
final class LayerArchive {

    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    /** As Linux's MAXSYMLINKS: a longer chain is a loop. */
    private static final int MAX_SYMLINK_HOPS = 40;

    private LayerArchive() {}

    /** @throws ImagePullException naming the entry or the limit that refused the layer (the root may be partly written) */
    static void unpack(Path layer, Path root, LayerLimits limits) throws IOException, ImagePullException {
        long compressed = Files.size(layer);
        if (compressed > limits.maxCompressedBytes()) {
            throw new ImagePullException("layer is " + compressed + " bytes compressed, over the limit of " + limits.maxCompressedBytes()
                    + " (berth.images.max-layer-size)");
        }
        Path realRoot = root.toRealPath();
        try (InputStream in = Files.newInputStream(layer);
                Limited uncompressed = new Limited(new GZIPInputStream(in, 64 * 1024), limits.maxUncompressedBytes());
                TarArchiveInputStream tar = new TarArchiveInputStream(uncompressed)) {
            long entries = 0;
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (++entries > limits.maxEntries()) {
                    throw new ImagePullException("layer has more than " + limits.maxEntries() + " entries (berth.images.max-layer-entries)");
                }
                apply(tar, entry, realRoot);
            }
        } catch (Limited.Exceeded e) {
            throw new ImagePullException("layer is over " + limits.maxUncompressedBytes() + " bytes uncompressed (berth.images.max-layer-unpacked-size)");
        }
    }

    private static void apply(TarArchiveInputStream tar, TarArchiveEntry entry, Path root) throws IOException, ImagePullException {
        String name = entry.getName();
        Path relative = relative(name);
        if (relative == null) {
            return; // the root itself ("./")
        }
        String base = relative.getFileName().toString();
        Path parent = resolve(root, relative.getParent(), name);
        if (base.equals(OPAQUE)) {
            clear(parent);
            return;
        }
        if (base.startsWith(WHITEOUT)) {
            String hidden = base.substring(WHITEOUT.length());
            if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
                throw new ImagePullException("layer entry '" + name + "' is a whiteout of '" + hidden + "'");
            }
            delete(parent.resolve(hidden));
            return;
        }
        Path target = parent.resolve(base);
        if (entry.isDirectory()) {
            if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(parent);
                delete(target);
                Files.createDirectory(target);
            }
            return;
        }
        if (!entry.isSymbolicLink() && !entry.isLink() && !entry.isFile()) {
            return; // devices, fifos: nothing a Java application needs
        }
        Path source = entry.isLink() ? hardlinkSource(root, entry) : null; // resolved before anything at target is removed
        Files.createDirectories(parent);
        delete(target);
        if (entry.isSymbolicLink()) {
            Files.createSymbolicLink(target, Path.of(entry.getLinkName())); // stored as is; only ever followed by resolve()
        } else if (entry.isLink()) {
            Files.copy(source, target, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
        } else {
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                tar.transferTo(out);
            }
            Files.setPosixFilePermissions(target, permissions(entry.getMode()));
        }
    }

    /** The entry name as a path relative to the root; null for the root itself; a {@code ..} escape is refused. */
    private static Path relative(String name) throws ImagePullException {
        Path p = Path.of(name.replaceFirst("^/+", "")).normalize();
        if (p.startsWith("..")) {
            throw new ImagePullException("layer entry '" + name + "' escapes the image root");
        }
        return p.toString().isEmpty() ? null : p;
    }

    /**
     * {@code relative} (a directory path, may be null) under {@code root} with every symlink on disk followed as the
     * host follows it; refused when a symlink leads out of the root (or loops). Missing components stay as named.
     */
    static Path resolve(Path root, Path relative, String entry) throws IOException, ImagePullException {
        Deque<String> pending = new ArrayDeque<>();
        if (relative != null) {
            relative.forEach(part -> pending.addLast(part.toString()));
        }
        Path current = root;
        int hops = 0;
        while (!pending.isEmpty()) {
            String part = pending.removeFirst();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            Path next = current.resolve(part).normalize();
            if (!next.startsWith(root)) {
                throw new ImagePullException("layer entry '" + entry + "' leads out of the image root through a symlink");
            }
            if (!Files.isSymbolicLink(next)) {
                current = next;
                continue;
            }
            if (++hops > MAX_SYMLINK_HOPS) {
                throw new ImagePullException("layer entry '" + entry + "' passes through a symlink loop");
            }
            Path link = Files.readSymbolicLink(next);
            Path target = (link.isAbsolute() ? link : current.resolve(link)).normalize();
            if (!target.startsWith(root)) {
                throw new ImagePullException("layer entry '" + entry + "' passes through symlink '" + root.relativize(next) + "' → '" + link
                        + "', which points outside the image root");
            }
            // continue from the link's target, re-resolving its own components
            Deque<String> rest = new ArrayDeque<>();
            root.relativize(target).forEach(x -> rest.addLast(x.toString()));
            rest.addAll(pending);
            pending.clear();
            pending.addAll(rest);
            current = root;
        }
        return current;
    }

    /** A hardlink's source: resolved inside the root and a regular file, or the entry is refused. */
    private static Path hardlinkSource(Path root, TarArchiveEntry entry) throws IOException, ImagePullException {
        Path linkName = relative(entry.getLinkName());
        Path source = linkName == null ? root : resolve(root, linkName, entry.getName());
        if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new ImagePullException("layer entry '" + entry.getName() + "' is a hardlink to '" + entry.getLinkName()
                    + "', which is not a regular file inside the image");
        }
        return source;
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

    /** Empties a directory (already resolved inside the root); its symlinks are removed, never followed. */
    private static void clear(Path dir) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
                for (Path c : children) {
                    delete(c);
                }
            }
        }
    }

    /** Removes a file, symlink or directory tree without following symlinks. */
    static void delete(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (var walk = Files.walk(p)) {
                for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(x);
                }
            }
        } else {
            Files.deleteIfExists(p);
        }
    }

    /** Fails the read once more than {@code max} bytes have come through. */
    private static final class Limited extends FilterInputStream {
        static final class Exceeded extends IOException {
            Exceeded() {
                super("size limit exceeded");
            }
        }

        private final long max;
        private long read;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(Math.max(n, 0));
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) throws Exceeded {
            read += n;
            if (read > max) {
                throw new Exceeded();
            }
        }
    }
}
