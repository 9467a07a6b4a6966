package dev.berth.support.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Makes every meter a service exposes pass {@code promtool check metrics}, including those of libraries
 * (SmallRye Fault Tolerance, Vert.x, Netty): camelCase names and tag keys become snake_case, meters without
 * a description get one naming their source, and two JVM meters whose Prometheus names break the
 * conventions are renamed or dropped (see {@link #DROPPED}). Pure; thread-safe.
 */
@Singleton
public class PrometheusConventions {

    /**
     * process.cpu.time: nanoseconds in its name ({@code _ns}), and process_cpu_usage says the same.
     * http.*.connections: long-task timers exported without help text; http_*_active_connections count the
     * same connections.
     */
    private static final Set<String> DROPPED = Set.of("process.cpu.time", "http.server.connections", "http.client.connections");

    private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");

    @Produces
    @Singleton
    public MeterFilter prometheusConventions() {
        return new MeterFilter() {
            @Override
            public MeterFilterReply accept(Meter.Id id) {
                return DROPPED.contains(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
            }

            @Override
            public Meter.Id map(Meter.Id id) {
                return conventional(id);
            }
        };
    }

    static Meter.Id conventional(Meter.Id id) {
        String name = id.getName().equals("system.cpu.count") ? "system.cpu.processors" : snake(id.getName());
        List<Tag> tags = new ArrayList<>();
        boolean tagsChanged = false;
        for (Tag t : id.getTagsAsIterable()) {
            String key = snake(t.getKey());
            tagsChanged |= !key.equals(t.getKey());
            tags.add(Tag.of(key, t.getValue()));
        }
        String description = id.getDescription();
        boolean describe = description == null || description.isBlank();
        if (name.equals(id.getName()) && !tagsChanged && !describe) {
            return id;
        }
        if (describe) {
            description = name + " (" + source(name) + ")";
        }
        return new Meter.Id(name, Tags.of(tags), id.getBaseUnit(), description, id.getType());
    }

    static String snake(String camel) {
        return CAMEL.matcher(camel).replaceAll("$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String source(String name) {
        if (name.startsWith("ft.")) {
            return "SmallRye Fault Tolerance";
        }
        if (name.startsWith("netty.")) {
            return "Netty";
        }
        if (name.startsWith("http.")) {
            return "Vert.x HTTP";
        }
        return "Micrometer binder";
    }
}
