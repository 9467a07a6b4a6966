package dev.berth.platform.apiserver.defaults;

/** The tag of an image reference as upstream's {@code parsers.ParseImageName} reads it for pull-policy defaulting. Pure. */
final class ImageTag {

    private ImageTag() {}

    /**
     * {@code nginx} → latest, {@code nginx:1.25} → 1.25, {@code host:5000/app} → latest (a port is not a tag),
     * {@code app@sha256:…} → "" (a digest and no tag), {@code app:1@sha256:…} → 1.
     */
    static String of(String image) {
        if (image == null || image.isEmpty()) {
            return ""; // unparsable: upstream ignores the error and gets no tag (validation refuses the image anyway)
        }
        int at = image.indexOf('@');
        String name = at < 0 ? image : image.substring(0, at);
        int colon = name.lastIndexOf(':');
        String tag = colon > name.lastIndexOf('/') ? name.substring(colon + 1) : "";
        return tag.isEmpty() && at < 0 ? "latest" : tag;
    }
}
