package dev.berth.platform.scheduler.model;

import java.util.Objects;

/**
 * A port a container binds on its node. Two host ports conflict when protocol and port are equal and
 * their IPs overlap; {@code 0.0.0.0} overlaps every IP, as in Kubernetes' NodePorts plugin.
 */
public record HostPort(String protocol, String hostIp, int port) {

    public static final String ANY_IP = "0.0.0.0";

    public HostPort {
        protocol = protocol == null || protocol.isEmpty() ? "TCP" : protocol;
        hostIp = hostIp == null || hostIp.isEmpty() ? ANY_IP : hostIp;
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("host port out of range: " + port);
        }
    }

    public static HostPort tcp(int port) {
        return new HostPort("TCP", ANY_IP, port);
    }

    public boolean conflictsWith(HostPort other) {
        return port == other.port
                && protocol.equals(other.protocol)
                && (hostIp.equals(ANY_IP) || other.hostIp.equals(ANY_IP) || Objects.equals(hostIp, other.hostIp));
    }
}
