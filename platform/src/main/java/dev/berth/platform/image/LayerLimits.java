package dev.berth.platform.image;

/**
 * What one image layer may cost: its compressed size (as downloaded), its uncompressed size (the tar stream's
 * bytes) and its number of tar entries. A layer over any of them is refused before it fills the disk.
 */
public record LayerLimits(long maxCompressedBytes, long maxUncompressedBytes, long maxEntries) {

    public LayerLimits {
        if (maxCompressedBytes < 1 || maxUncompressedBytes < 1 || maxEntries < 1) {
            throw new IllegalArgumentException("layer limits must be positive: " + maxCompressedBytes + ", " + maxUncompressedBytes + ", " + maxEntries);
        }
    }
}
