package dev.berth.platform.scheduler.plugins;

import dev.berth.platform.scheduler.model.HostPort;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class NodePortsTest {

    static Stream<Arguments> cases() {
        HostPort tcp8080 = HostPort.tcp(8080);
        return Stream.of(
                arguments("nothing used", List.of(tcp8080), List.of(), true),
                arguments("same port and protocol", List.of(tcp8080), List.of(tcp8080), false),
                arguments("another port", List.of(tcp8080), List.of(HostPort.tcp(8081)), true),
                arguments("same port, UDP", List.of(new HostPort("UDP", null, 8080)), List.of(tcp8080), true),
                arguments("different specific IPs", List.of(new HostPort("TCP", "10.0.0.1", 8080)),
                        List.of(new HostPort("TCP", "10.0.0.2", 8080)), true),
                arguments("same specific IP", List.of(new HostPort("TCP", "10.0.0.1", 8080)),
                        List.of(new HostPort("TCP", "10.0.0.1", 8080)), false),
                arguments("wildcard against a specific IP", List.of(tcp8080), List.of(new HostPort("TCP", "10.0.0.2", 8080)), false),
                arguments("one of several conflicts", List.of(HostPort.tcp(9000), tcp8080), List.of(HostPort.tcp(7000), tcp8080), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fits(String description, List<HostPort> wanted, List<HostPort> used, boolean expected) {
        assertThat(NodePorts.fits(wanted, used)).isEqualTo(expected);
    }
}
