package dev.berth.platform.pipeline;

import java.util.Locale;

final class Sizes {

    private Sizes() {}

    /** 1,229,243 → "1.2 MB" (decimal units, as registries and Docker print them). */
    static String human(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
