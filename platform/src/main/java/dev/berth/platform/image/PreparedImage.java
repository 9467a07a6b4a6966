package dev.berth.platform.image;

import java.nio.file.Path;

/**
 * An image ready to run: its manifest digest (what was really deployed), its configuration and its layers
 * unpacked into a root filesystem shared read-only by every replica of that digest.
 *
 * @param reference what the pod asked for ({@code 127.0.0.1:5000/berth/order-service:1.0})
 * @param imageId   the same image pinned by digest ({@code 127.0.0.1:5000/berth/order-service@sha256:…})
 */
public record PreparedImage(String reference, String imageId, String digest, ImageConfig config, Path rootfs) {}
