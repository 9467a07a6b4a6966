package dev.berth.platform.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.model.InvalidObjectKeyException;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The store's files are the core user's only, and every key stays one file under the store's directory. */
class StoreFilesTest {

    static final KubernetesSerialization JSON = new KubernetesSerialization();

    @TempDir
    Path temp;
    Path dir;
    Path outside;

    @BeforeEach
    void layout() throws Exception {
        dir = temp.resolve("store");
        outside = Files.createDirectories(temp.resolve("outside"));
    }

    ObjectStore open() {
        return new ObjectStore(dir, JSON, Clock.systemUTC(), 5);
    }

    static List<String> tree(Path root) throws Exception {
        try (Stream<Path> all = Files.walk(root)) {
            return all.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void everyDirectoryIs0700AndEveryFile0600WhateverTheUmask() throws Exception {
        try (ObjectStore store = open()) {
            store.create(new SecretBuilder().withNewMetadata().withName("db").withNamespace("shop").endMetadata().addToStringData("password", "s3cret").build());
            store.create(new NodeBuilder().withNewMetadata().withName("node-1").endMetadata().build());
            store.create(new ConfigMapBuilder().withNewMetadata().withName("gone").endMetadata().build());
            store.delete(new ObjectKey(ResourceKind.CONFIGMAP, "default", "gone"));
        }
        Files.writeString(dir.resolve("configmaps/default/bad.json"), "{");
        open().close(); // quarantines bad.json into directories the store creates
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                String expected = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "rwx------" : "rw-------";
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS))).as(p.toString()).isEqualTo(expected);
            }
        }
        assertThat(tree(dir)).contains("secrets/shop/db.json", "nodes/_/node-1.json", ResourceVersions.FILE, "quarantine/configmaps/default/bad.json");
    }

    @Test
    void aStoreDirectoryAnOlderVersionLeftReadableIsMadePrivate() throws Exception {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        open().close();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    }

    static Stream<Arguments> keysOutsideTheStore() {
        return Stream.of(
                Arguments.of("absolute namespace", "<outside>", "cm", "metadata.namespace"),
                Arguments.of("namespace ..", "..", "cm", "metadata.namespace"),
                Arguments.of("namespace ../outside", "../outside", "cm", "metadata.namespace"),
                Arguments.of("namespace a/b", "a/b", "cm", "metadata.namespace"),
                Arguments.of("namespace with NUL", "a\0b", "cm", "metadata.namespace"),
                Arguments.of("namespace of 256 bytes", "n".repeat(256), "cm", "metadata.namespace"),
                Arguments.of("name ..", "default", "..", "metadata.name"),
                Arguments.of("name .", "default", ".", "metadata.name"),
                Arguments.of("name ../../outside/x", "default", "../../outside/x", "metadata.name"),
                Arguments.of("absolute name", "default", "<outside>/x", "metadata.name"),
                Arguments.of("empty name", "default", "", "metadata.name"),
                Arguments.of("name with NUL", "default", "x\0.json", "metadata.name"),
                Arguments.of("name of 251 bytes (256 with .json)", "default", "n".repeat(251), "metadata.name"),
                Arguments.of("name of 126 two-byte characters and a dot", "default", "é".repeat(126) + ".", "metadata.name"),
                Arguments.of("name with a lone surrogate", "default", "x\uD800", "metadata.name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keysOutsideTheStore")
    void aKeyThatIsNotOneFileUnderTheStoreIsRefusedAndWritesNothing(String what, String namespace, String name, String field) throws Exception {
        String ns = namespace.replace("<outside>", outside.toString());
        String n = name.replace("<outside>", outside.toString());
        try (ObjectStore store = open()) {
            List<String> before = tree(temp);
            long revision = store.revision();
            var config = new ConfigMapBuilder().withNewMetadata().withName(n).withNamespace(ns).endMetadata().addToData("k", "v").build();
            // ObjectKey refuses what is not a Kubernetes name; the store refuses what is one but cannot be one file name
            assertThatThrownBy(() -> store.create(config)).satisfies(e -> assertRefusedNaming(e, field));
            assertThatThrownBy(() -> store.delete(ObjectKey.of(config))).satisfies(e -> assertRefusedNaming(e, field));
            assertThat(tree(temp)).isEqualTo(before);
            assertThat(store.revision()).isEqualTo(revision);
            assertThat(store.list(ResourceKind.CONFIGMAP, null, null)).isEmpty();
        }
        assertThat(tree(outside)).containsExactly("");
    }

    private static void assertRefusedNaming(Throwable e, String field) {
        if (e instanceof StoreException refused) {
            assertThat(refused.reason()).isEqualTo(StoreException.Reason.INVALID);
            assertThat(refused.field()).isEqualTo(field);
        } else {
            assertThat(e).isInstanceOfSatisfying(InvalidObjectKeyException.class, invalid -> assertThat(invalid.field()).isEqualTo(field));
        }
        assertThat(e.getMessage()).startsWith(field + " '");
    }
}
