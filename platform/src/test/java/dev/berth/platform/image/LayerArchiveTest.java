package dev.berth.platform.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Layers crafted here, unpacked into a temp root next to an "outside" directory that must never change. */
class LayerArchiveTest {

    private static final LayerLimits ROOMY = new LayerLimits(1L << 30, 1L << 30, 10_000);

    @TempDir
    Path base;
    Path root;
    Path outside;

    @BeforeEach
    void dirs() throws IOException {
        root = Files.createDirectories(base.resolve("root"));
        outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("victim"), "keep");
        Files.createDirectories(outside.resolve("dir"));
        Files.writeString(outside.resolve("dir").resolve("inner"), "keep too");
    }

    /** One tar entry of a crafted layer. */
    record Entry(String name, byte type, String link, String content) {
        static Entry dir(String name) {
            return new Entry(name, TarConstants.LF_DIR, null, null);
        }

        static Entry file(String name, String content) {
            return new Entry(name, TarConstants.LF_NORMAL, null, content);
        }

        static Entry symlink(String name, String target) {
            return new Entry(name, TarConstants.LF_SYMLINK, target, null);
        }

        static Entry hardlink(String name, String target) {
            return new Entry(name, TarConstants.LF_LINK, target, null);
        }
    }

    static Stream<Arguments> attacks() {
        // each row: a name, the layer's entries given the outside directory's absolute path, the refusal expected
        return Stream.of(
                attack("symlink to an outside directory, then a file under it",
                        o -> List.of(Entry.symlink("evil", o), Entry.file("evil/pwned", "x")), "points outside the image root"),
                attack("relative symlink climbing out, then a file under it",
                        o -> List.of(Entry.symlink("evil", "../outside"), Entry.file("evil/pwned", "x")), "points outside the image root"),
                attack("symlink to an outside directory, then overwriting a file there",
                        o -> List.of(Entry.symlink("evil", o), Entry.file("evil/victim", "owned")), "points outside the image root"),
                attack("symlink chain (a → b → outside), then a file under a",
                        o -> List.of(Entry.symlink("b", o), Entry.symlink("a", "b"), Entry.file("a/pwned", "x")), "points outside the image root"),
                attack("symlink to the root's parent, then a nested directory and file",
                        o -> List.of(Entry.symlink("up", ".."), Entry.dir("up/outside/made/"), Entry.file("up/outside/made/pwned", "x")),
                        "points outside the image root"),
                attack("symlink loop", o -> List.of(Entry.symlink("a", "b"), Entry.symlink("b", "a"), Entry.file("a/x", "x")), "symlink loop"),
                attack("dot-dot entry name", o -> List.of(Entry.file("../outside/pwned", "x")), "escapes the image root"),
                attack("dot-dot inside an entry name", o -> List.of(Entry.file("app/../../outside/pwned", "x")), "escapes the image root"),
                attack("hardlink to an absolute outside file", o -> List.of(Entry.hardlink("copy", o + "/victim")), "not a regular file inside"),
                attack("hardlink climbing out", o -> List.of(Entry.hardlink("copy", "../outside/victim")), "escapes the image root"),
                attack("hardlink through a symlink to an outside file",
                        o -> List.of(Entry.symlink("evil", o), Entry.hardlink("copy", "evil/victim")), "points outside the image root"),
                attack("hardlink to a symlink to an outside file",
                        o -> List.of(Entry.symlink("evil", o + "/victim"), Entry.hardlink("copy", "evil")), "points outside the image root"),
                attack("hardlink to a directory", o -> List.of(Entry.dir("d/"), Entry.hardlink("copy", "d")), "not a regular file inside"),
                attack("hardlink placed through a symlink to an outside directory",
                        o -> List.of(Entry.file("ok", "x"), Entry.symlink("evil", o), Entry.hardlink("evil/pwned", "ok")), "points outside the image root"),
                attack("whiteout through a symlink to an outside directory",
                        o -> List.of(Entry.symlink("evil", o), Entry.file("evil/.wh.victim", "")), "points outside the image root"),
                attack("opaque whiteout through a symlink to an outside directory",
                        o -> List.of(Entry.symlink("evil", o), Entry.file("evil/.wh..wh..opq", "")), "points outside the image root"),
                attack("whiteout of '..'", o -> List.of(Entry.dir("app/"), Entry.file("app/.wh...", "")), "whiteout of '..'"),
                attack("symlink placed through a symlink to an outside directory",
                        o -> List.of(Entry.symlink("evil", o), Entry.symlink("evil/link", "/etc/passwd")), "points outside the image root"));
    }

    private static Arguments attack(String name, Function<String, List<Entry>> entries, String refusal) {
        return Arguments.of(name, entries, refusal);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void attackIsRefusedAndNothingOutsideTheRootChanges(String name, Function<String, List<Entry>> entries, String refusal) throws Exception {
        Map<String, String> before = snapshot(base, root);
        Path layer = layer("layer.tar.gz", entries.apply(outside.toString()));

        assertThatThrownBy(() -> LayerArchive.unpack(layer, root, ROOMY))
                .isInstanceOf(ImagePullException.class).hasMessageContaining(refusal);

        assertThat(snapshot(base, root)).isEqualTo(before);
    }

    @Test
    void refusedLayerLeavesNoPartialExtractionAndNoRootfs() throws Exception {
        Path good = layer("good.tar.gz", goodEntries());
        Path evil = layer("evil.tar.gz", List.of(Entry.file("fine", "x"), Entry.symlink("evil", outside.toString()), Entry.file("evil/pwned", "x")));
        Path staging = base.resolve("images").resolve("abc.unpacking-1");
        Path rootfs = base.resolve("images").resolve("abc");
        Map<String, String> before = snapshot(base, base.resolve("images"));

        assertThatThrownBy(() -> ImageStore.unpackLayers(List.of(good, evil), staging, rootfs, ROOMY, "registry/app:1"))
                .isInstanceOf(ImagePullException.class)
                .hasMessageStartingWith("image registry/app:1: layer sha256:evil.tar.gz refused: layer entry 'evil/pwned' passes through symlink");

        assertThat(staging).doesNotExist();
        assertThat(rootfs).doesNotExist();
        assertThat(snapshot(base, base.resolve("images"))).isEqualTo(before);
    }

    @Test
    void goodLayersStillExtractWithSymlinksHardlinksAndWhiteoutsInsideTheRoot() throws Exception {
        Path first = layer("first.tar.gz", goodEntries());
        Path second = layer("second.tar.gz", List.of(Entry.file("app/.wh.gone.txt", ""), Entry.file("usr/lib/.wh..wh..opq", ""),
                Entry.file("lib/new.jar", "new"), Entry.symlink("evil", outside + "/victim"), Entry.file("evil", "replaced the link, not its target")));
        Path rootfs = base.resolve("images").resolve("abc");

        ImageStore.unpackLayers(List.of(first, second), base.resolve("images").resolve("abc.unpacking-1"), rootfs, ROOMY, "registry/app:1");

        assertThat(rootfs.resolve("app/run.sh")).hasContent("#!/bin/sh");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rootfs.resolve("app/run.sh")))).isEqualTo("rwxr-xr-x");
        assertThat(rootfs.resolve("app/run2.sh")).hasContent("#!/bin/sh");
        assertThat(rootfs.resolve("app/gone.txt")).doesNotExist();
        assertThat(Files.readSymbolicLink(rootfs.resolve("lib"))).isEqualTo(Path.of("usr/lib"));
        assertThat(rootfs.resolve("usr/lib/old.jar")).doesNotExist(); // the opaque whiteout emptied it
        assertThat(rootfs.resolve("usr/lib/new.jar")).hasContent("new"); // written through the inside symlink lib → usr/lib
        assertThat(Files.isRegularFile(rootfs.resolve("evil"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(outside.resolve("victim")).hasContent("keep");
    }

    private static List<Entry> goodEntries() {
        return List.of(Entry.dir("app/"), Entry.file("app/run.sh", "#!/bin/sh"), Entry.hardlink("app/run2.sh", "app/run.sh"),
                Entry.file("app/gone.txt", "soon gone"), Entry.dir("usr/lib/"), Entry.symlink("lib", "usr/lib"), Entry.file("lib/old.jar", "old"),
                Entry.file("/abs/ok", "leading slash stays inside"));
    }

    @Test
    void layerOverTheEntryLimitIsRefused() throws Exception {
        Path layer = layer("many.tar.gz", List.of(Entry.file("a", "1"), Entry.file("b", "2"), Entry.file("c", "3")));

        assertThatThrownBy(() -> LayerArchive.unpack(layer, root, new LayerLimits(1 << 20, 1 << 20, 2)))
                .isInstanceOf(ImagePullException.class).hasMessage("layer has more than 2 entries (berth.images.max-layer-entries)");
    }

    @Test
    void layerOverTheUncompressedLimitIsRefused() throws Exception {
        Path layer = layer("bomb.tar.gz", List.of(Entry.file("zeros", "\0".repeat(1 << 20))));
        assertThat(Files.size(layer)).isLessThan(64 * 1024); // a small download that would unpack to 1 MiB

        assertThatThrownBy(() -> LayerArchive.unpack(layer, root, new LayerLimits(1 << 20, 64 * 1024, 10)))
                .isInstanceOf(ImagePullException.class).hasMessage("layer is over 65536 bytes uncompressed (berth.images.max-layer-unpacked-size)");
    }

    @Test
    void layerOverTheCompressedLimitIsRefusedBeforeUnpacking() throws Exception {
        Path layer = layer("big.tar.gz", List.of(Entry.file("a", "1")));

        assertThatThrownBy(() -> LayerArchive.unpack(layer, root, new LayerLimits(10, 1 << 20, 10)))
                .isInstanceOf(ImagePullException.class).hasMessageContaining("bytes compressed, over the limit of 10 (berth.images.max-layer-size)");
        assertThat(root).isEmptyDirectory();
    }

    private Path layer(String fileName, List<Entry> entries) throws IOException {
        Path file = base.resolve(fileName);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file));
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries) {
                TarArchiveEntry t = new TarArchiveEntry(e.name(), e.type(), true);
                if (e.link() != null) {
                    t.setLinkName(e.link());
                }
                byte[] bytes = e.content() == null ? new byte[0] : e.content().getBytes(StandardCharsets.UTF_8);
                t.setMode(e.type() == TarConstants.LF_DIR ? 040755 : e.name().endsWith(".sh") ? 0100755 : 0100644);
                t.setSize(e.type() == TarConstants.LF_NORMAL ? bytes.length : 0);
                tar.putArchiveEntry(t);
                if (e.type() == TarConstants.LF_NORMAL) {
                    tar.write(bytes);
                }
                tar.closeArchiveEntry();
            }
        }
        return file;
    }

    /** Every path under {@code dir} except {@code skip} (and layer files), with content or link target: any change outside shows. */
    private static Map<String, String> snapshot(Path dir, Path skip) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.filter(p -> !p.startsWith(skip) && !p.toString().endsWith(".tar.gz")).toList()) {
                String what = Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p)
                        : Files.isDirectory(p) ? "dir" : Files.readString(p) + " @" + Files.getLastModifiedTime(p);
                files.put(dir.relativize(p).toString(), what);
            }
        }
        return files;
    }
}
