package dev.berth.platform.model;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a replica's container ports really listen. On the local engine every replica runs on 127.0.0.1, so
 * each container port is mapped to a free host port (from 20000–29999); the kubelet records the mapping on the pod as the
 * annotation {@code berth.dev/host-ports: "8080=41234,9000=41235"}. A manifest may pin host ports by setting the
 * annotation on its pod template, within {@link #MIN_PINNED}–{@link #MAX_PINNED} only. Pure.
 */
public final class HostPorts {

    public static final String ANNOTATION = "berth.dev/host-ports";
    /**
     * The host ports a manifest may pin: Linux's default ephemeral range ({@code ip_local_port_range}); the kubelet's
     * own ports come from 20000–29999, outside it (see the kubelet's HostPortAllocator). It holds none of the fixed ports of the core and its backing services
     * (API 7070, registry 5000, PostgreSQL 5432, Prometheus 9090, Elasticsearch 9200, Service listeners 8080, 8081
     * and 30000 up), so a Service cannot be pointed at them.
     */
    public static final int MIN_PINNED = 32768;
    public static final int MAX_PINNED = 60999;

    private static final Pattern PAIR = Pattern.compile("\\s*(\\d{1,5})\\s*=\\s*(\\d{1,5})\\s*");

    private HostPorts() {}

    /**
     * The container port → host port mapping recorded on {@code pod}. Never throws: a pair that is not
     * {@code containerPort=hostPort} with both ports in 1–65535 is skipped, so one bad stored value cannot stop
     * the controllers that read it.
     */
    public static Map<Integer, Integer> of(Pod pod) {
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        var meta = pod.getMetadata();
        String value = meta == null || meta.getAnnotations() == null ? null : meta.getAnnotations().get(ANNOTATION);
        if (value == null || value.isBlank()) {
            return ports;
        }
        for (String pair : value.split(",", -1)) {
            Matcher m = PAIR.matcher(pair);
            if (m.matches() && isPort(m.group(1)) && isPort(m.group(2))) {
                ports.putIfAbsent(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            }
        }
        return ports;
    }

    /** What is wrong with the annotation's value in a manifest: one message per bad pair, empty when it is valid. */
    public static List<String> problems(String value) {
        List<String> problems = new ArrayList<>();
        if (value == null || value.isBlank()) {
            problems.add("must list containerPort=hostPort pairs separated by ',' (e.g. 8080=41234)");
            return problems;
        }
        for (String pair : value.split(",", -1)) {
            Matcher m = PAIR.matcher(pair);
            if (!m.matches()) {
                problems.add("'" + abbreviate(pair) + "' is not containerPort=hostPort (e.g. 8080=41234)");
            } else if (!isPort(m.group(1))) {
                problems.add("container port " + m.group(1) + " must be between 1 and 65535");
            } else {
                int host = Integer.parseInt(m.group(2));
                if (host < MIN_PINNED || host > MAX_PINNED) {
                    problems.add("host port " + host + " must be between " + MIN_PINNED + " and " + MAX_PINNED
                            + " (the ephemeral range, clear of the core's own ports)");
                }
            }
        }
        return problems;
    }

    public static String format(Map<Integer, Integer> ports) {
        StringBuilder s = new StringBuilder();
        ports.forEach((c, h) -> s.append(s.length() == 0 ? "" : ",").append(c).append('=').append(h));
        return s.toString();
    }

    private static boolean isPort(String digits) {
        int port = Integer.parseInt(digits);
        return port >= 1 && port <= 65535;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
