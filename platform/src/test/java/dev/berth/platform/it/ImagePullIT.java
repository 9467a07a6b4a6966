package dev.berth.platform.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.image.ImageStore;
import dev.berth.platform.image.LayerLimits;
import dev.berth.platform.image.PreparedImage;
import dev.berth.platform.testapp.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Pulls from the real registry at the same time, as when two Deployments' replicas start together: images that
 * share a layer, and one image under two references, each into an empty cache. None fails, each layer is
 * downloaded into the cache once.
 */
class ImagePullIT {

    @Test
    void concurrentPullsOfImagesSharingALayerAllSucceed() throws Exception {
        Path work = Path.of("target", "image-pull-it");
        String v1 = TestImages.testApp("pull-v1", work, "v1");
        String v2 = TestImages.testApp("pull-v2", work, "v2");
        String v1ByTag = "127.0.0.1:5000/berth-test/testapp:pull-v1";
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 5; round++) {
                Path cache = Files.createTempDirectory(work.toAbsolutePath().getParent(), "images-");
                ImageStore store = new ImageStore(cache, Set.of("127.0.0.1:5000"), new LayerLimits(1L << 30, 4L << 30, 200_000));
                List<Callable<PreparedImage>> pulls = List.of(() -> store.prepare(v1), () -> store.prepare(v2), () -> store.prepare(v1ByTag),
                        () -> store.prepare(v2));
                List<PreparedImage> prepared = pool.invokeAll(pulls).stream().map(ImagePullIT::get).toList();
                assertThat(prepared).extracting(PreparedImage::rootfs).allSatisfy(root -> assertThat(root.resolve("app/testapp.jar")).isRegularFile());
                assertThat(prepared.get(0).rootfs()).isEqualTo(prepared.get(2).rootfs());
                assertThat(prepared.get(0).digest()).isNotEqualTo(prepared.get(1).digest());
                try (var blobs = Files.list(cache.resolve("blobs/sha256"))) {
                    assertThat(blobs.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (Exception e) {
            throw new AssertionError("a pull failed", e);
        }
    }
}
