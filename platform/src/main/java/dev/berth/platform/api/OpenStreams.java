package dev.berth.platform.api;

import dev.berth.platform.config.CoreConfig;
import dev.berth.platform.engine.EngineException;
import dev.berth.support.problem.Problem;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The API's open long-lived streams (watches, log follows), counted in total and per caller and capped by
 * {@code berth.streams.*}. A stream takes a {@link Slot} before it starts and closes it when it ends; a refused one is
 * answered 429. Gauge {@code berth_api_open_streams{stream=watch|follow}}. Thread-safe.
 */
@Singleton
public class OpenStreams {

    /** The kinds of stream, each with its own caps. */
    public enum Stream {
        WATCH("watches"), FOLLOW("log follows");

        private final String plural;

        Stream(String plural) {
            this.plural = plural;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One open stream's place; closing it more than once frees it once. */
    public final class Slot implements AutoCloseable {
        private final Stream stream;
        private final String caller;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Slot(Stream stream, String caller) {
            this.stream = stream;
            this.caller = caller;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                release(stream, caller);
            }
        }
    }

    private final CoreConfig.Streams limits;
    private final ConcurrentHashMap<Stream, AtomicInteger> total = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> perCaller = new ConcurrentHashMap<>();

    public OpenStreams(CoreConfig config, MeterRegistry registry) {
        this.limits = config.streams();
        for (Stream s : Stream.values()) {
            AtomicInteger count = total.computeIfAbsent(s, k -> new AtomicInteger());
            Gauge.builder("berth.api.open.streams", count, AtomicInteger::get).tag("stream", s.label())
                    .description("Watches and log follows the API is serving now").register(registry);
        }
    }

    /** @throws EngineException 429 when {@code caller} or everyone together already has the most streams of this kind */
    public Slot open(Stream stream, String caller) {
        int maxTotal = stream == Stream.WATCH ? limits.maxWatches() : limits.maxFollows();
        int maxPerCaller = stream == Stream.WATCH ? limits.maxWatchesPerUser() : limits.maxFollowsPerUser();
        AtomicInteger mine = perCaller.computeIfAbsent(key(stream, caller), k -> new AtomicInteger());
        if (mine.incrementAndGet() > maxPerCaller) {
            mine.decrementAndGet();
            throw tooMany(stream, "this token already has " + maxPerCaller + " open " + stream.plural);
        }
        if (total.get(stream).incrementAndGet() > maxTotal) {
            total.get(stream).decrementAndGet();
            mine.decrementAndGet();
            throw tooMany(stream, "the core already serves " + maxTotal + " " + stream.plural);
        }
        return new Slot(stream, caller);
    }

    /** Streams of this kind open now. */
    public int open(Stream stream) {
        return total.get(stream).get();
    }

    private void release(Stream stream, String caller) {
        total.get(stream).decrementAndGet();
        perCaller.get(key(stream, caller)).decrementAndGet();
    }

    private static String key(Stream stream, String caller) {
        return stream + "/" + caller;
    }

    private static EngineException tooMany(Stream stream, String why) {
        return new EngineException(429, why + "; close one or try again later",
                List.of(new Problem.FieldError(stream == Stream.WATCH ? "watch" : "follow", "too many open " + stream.plural)));
    }
}
