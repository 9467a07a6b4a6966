package dev.berth.platform.model;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a replica's container ports really listen. On the local engine every replica runs on 127.0.0.1, so
 * each container port is mapped to a free host port; the kubelet records the mapping on the pod as the
 * annotation {@code berth.dev/host-ports: "8080=41234,9000=41235"}. Pure.
 */
public final class HostPorts {

    public static final String ANNOTATION = "berth.dev/host-ports";

    private HostPorts() {}

    public static Map<Integer, Integer> of(Pod pod) {
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        String value = pod.getMetadata().getAnnotations() == null ? null : pod.getMetadata().getAnnotations().get(ANNOTATION);
        if (value == null || value.isBlank()) {
            return ports;
        }
        for (String pair : value.split(",")) {
            String[] kv = pair.split("=");
            ports.put(Integer.parseInt(kv[0].trim()), Integer.parseInt(kv[1].trim()));
        }
        return ports;
    }

    public static String format(Map<Integer, Integer> ports) {
        StringBuilder s = new StringBuilder();
        ports.forEach((c, h) -> s.append(s.length() == 0 ? "" : ",").append(c).append('=').append(h));
        return s.toString();
    }
}
