package dev.berth.platform.pipeline;

import java.time.Duration;
import java.util.Locale;

final class Durations {

    private Durations() {}

    /** 0.4 s, 12.3 s, 4 min 05 s. */
    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        return String.format(Locale.ROOT, "%d min %02d s", ms / 60_000, (ms / 1000) % 60);
    }
}
