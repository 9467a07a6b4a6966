package dev.berth.platform.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.registry.ManifestAndDigest;
import com.google.cloud.tools.jib.registry.RegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Pulls images from an OCI registry with jib-core's registry client and prepares them to run: the manifest is
 * resolved to its digest (the artifact deployed is the artifact built), every blob is fetched once into a
 * cache keyed by digest and verified against it while it is written, and the layers are unpacked, in order,
 * into one root filesystem per image digest. Thread-safe: concurrent pulls of one image wait for each other.
 */
public final class ImageStore {

    private static final Logger LOG = Logger.getLogger(ImageStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path blobs;
    private final Path roots;
    private final Set<String> insecureRegistries;
    private final LayerLimits limits;
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public ImageStore(Path dir, Set<String> insecureRegistries, LayerLimits limits) {
        this.blobs = dir.resolve("blobs").resolve("sha256");
        this.roots = dir.resolve("rootfs");
        this.insecureRegistries = insecureRegistries;
        this.limits = limits;
    }

    /**
     * @throws ImagePullException naming the image: bad reference, registry unreachable, unknown image,
     *                            a blob whose content does not match its digest, a layer refused by {@link LayerArchive}
     */
    public PreparedImage prepare(String reference) throws ImagePullException {
        ImageReference ref;
        try {
            ref = ImageReference.parse(reference);
        } catch (InvalidImageReferenceException e) {
            throw new ImagePullException("'" + reference + "' is not a valid image reference", e);
        }
        ReentrantLock lock = locks.computeIfAbsent(reference, r -> new ReentrantLock());
        lock.lock();
        try {
            RegistryClient client = client(ref);
            ManifestAndDigest<ManifestTemplate> pulled = client.pullManifest(ref.getQualifier());
            if (!(pulled.getManifest() instanceof BuildableManifestTemplate manifest)) {
                throw new ImagePullException("image " + reference + " is a multi-platform index; push a single-platform image (Jib does)");
            }
            String digest = pulled.getDigest().toString();
            String imageId = ref.getRegistry() + "/" + ref.getRepository() + "@" + digest;
            byte[] configBytes = fetch(client, manifest.getContainerConfiguration().getDigest(), reference);
            ImageConfig config = ImageConfig.parse(JSON.readTree(configBytes));
            Path rootfs = roots.resolve(pulled.getDigest().getHash());
            // the same image under another reference (tag vs digest) may be unpacking right now
            ReentrantLock rootfsLock = locks.computeIfAbsent("rootfs:" + pulled.getDigest().getHash(), r -> new ReentrantLock());
            rootfsLock.lock();
            try {
                if (!Files.isDirectory(rootfs)) {
                    unpack(client, manifest.getLayers(), rootfs, reference);
                }
            } finally {
                rootfsLock.unlock();
            }
            return new PreparedImage(reference, imageId, digest, config, rootfs);
        } catch (RegistryException e) {
            throw new ImagePullException("pulling " + reference + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ImagePullException("pulling " + reference + " failed: " + e, e);
        } finally {
            lock.unlock();
        }
    }

    private RegistryClient client(ImageReference ref) {
        boolean insecure = insecureRegistries.contains(ref.getRegistry());
        FailoverHttpClient http = new FailoverHttpClient(insecure, false, event -> LOG.debugf("registry: %s", event.getMessage()));
        return RegistryClient.factory(EventHandlers.NONE, ref.getRegistry(), ref.getRepository(), http).newRegistryClient();
    }

    private void unpack(RegistryClient client, List<BuildableManifestTemplate.ContentDescriptorTemplate> layers, Path rootfs,
            String reference) throws IOException, ImagePullException {
        List<Path> files = new java.util.ArrayList<>();
        for (var layer : layers) {
            if (layer.getSize() > limits.maxCompressedBytes()) {
                throw new ImagePullException("image " + reference + ": layer " + layer.getDigest() + " is " + layer.getSize()
                        + " bytes, over the limit of " + limits.maxCompressedBytes() + " (berth.images.max-layer-size)");
            }
            files.add(blob(client, layer.getDigest(), reference));
        }
        Path staging = Files.createDirectories(roots).resolve(rootfs.getFileName() + ".unpacking-" + ProcessHandle.current().pid());
        unpackLayers(files, staging, rootfs, limits, reference);
        LOG.infof("unpacked %s (%d layers) into %s", reference, layers.size(), rootfs);
    }

    /**
     * Unpacks {@code layers} in order into {@code staging}, then moves it to {@code rootfs}; on any failure the
     * partial extraction is removed and nothing is at {@code rootfs}.
     */
    static void unpackLayers(List<Path> layers, Path staging, Path rootfs, LayerLimits limits, String reference)
            throws IOException, ImagePullException {
        LayerArchive.delete(staging);
        Files.createDirectories(staging);
        try {
            for (Path layer : layers) {
                try {
                    LayerArchive.unpack(layer, staging, limits);
                } catch (ImagePullException e) {
                    throw new ImagePullException("image " + reference + ": layer sha256:" + layer.getFileName() + " refused: " + e.getMessage(), e);
                }
            }
            Files.move(staging, rootfs, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | ImagePullException | RuntimeException e) {
            LayerArchive.delete(staging);
            throw e;
        }
    }

    /** The cached blob file, downloaded and verified first if it is not cached yet. */
    private Path blob(RegistryClient client, DescriptorDigest digest, String reference) throws IOException, ImagePullException {
        Path cached = blobs.resolve(digest.getHash());
        if (Files.exists(cached)) {
            return cached;
        }
        // two images sharing a layer (both services' dependency layers) download it once, not into one .partial file at once
        ReentrantLock lock = locks.computeIfAbsent("blob:" + digest.getHash(), d -> new ReentrantLock());
        lock.lock();
        try {
            if (Files.exists(cached)) {
                return cached;
            }
            Files.createDirectories(blobs);
            Path partial = blobs.resolve(digest.getHash() + ".partial");
            try (OutputStream out = new LimitedOutput(Files.newOutputStream(partial), limits.maxCompressedBytes(), digest, reference)) {
                download(client, digest, out, reference);
            } catch (LimitedOutput.Exceeded e) {
                Files.deleteIfExists(partial);
                throw new ImagePullException(e.getMessage());
            } catch (ImagePullException | IOException e) {
                Files.deleteIfExists(partial);
                throw e;
            }
            Files.move(partial, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return cached;
        } finally {
            lock.unlock();
        }
    }

    private byte[] fetch(RegistryClient client, DescriptorDigest digest, String reference) throws IOException, ImagePullException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        download(client, digest, out, reference);
        return out.toByteArray();
    }

    private static void download(RegistryClient client, DescriptorDigest digest, OutputStream out, String reference)
            throws IOException, ImagePullException {
        MessageDigest sha = sha256();
        try (DigestOutputStream verified = new DigestOutputStream(out, sha) {
            @Override
            public void close() throws IOException {
                flush(); // the caller owns the underlying stream
            }
        }) {
            client.pullBlob(digest, size -> { }, written -> { }).writeTo(verified);
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (!actual.equals(digest.getHash())) {
            throw new ImagePullException("blob " + digest + " of " + reference + " does not match its digest (got sha256:" + actual + ")");
        }
    }

    /** A blob download that stops at the layer size limit, whatever size the manifest declared. */
    private static final class LimitedOutput extends java.io.FilterOutputStream {
        static final class Exceeded extends IOException {
            Exceeded(String message) {
                super(message);
            }
        }

        private final long max;
        private final DescriptorDigest digest;
        private final String reference;
        private long written;

        LimitedOutput(OutputStream out, long max, DescriptorDigest digest, String reference) {
            super(out);
            this.max = max;
            this.digest = digest;
            this.reference = reference;
        }

        @Override
        public void write(int b) throws IOException {
            count(1);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            count(len);
            out.write(b, off, len);
        }

        private void count(long n) throws Exceeded {
            written += n;
            if (written > max) {
                throw new Exceeded("image " + reference + ": blob " + digest + " is over the layer limit of " + max + " bytes (berth.images.max-layer-size)");
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
