package dev.berth.platform.apiserver.printing;

import static dev.berth.platform.apiserver.printing.Printed.ago;
import static dev.berth.platform.apiserver.printing.Printed.almostNow;
import static dev.berth.platform.apiserver.printing.Printed.created;
import static dev.berth.platform.apiserver.printing.Printed.named;
import static dev.berth.platform.apiserver.printing.Printed.narrow;
import static dev.berth.platform.apiserver.printing.Printed.wide;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.ServiceSpecBuilder;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * upstream's printService and printEndpoints table cases (printers_test.go). Left out: TestPrintServiceLoadBalancer's
 * "long external IP's list gets elided", which only {@code GenerateOptions{}} produces: kube-apiserver prints wide, so
 * that list is served whole (the case after it, with Wide, is kept).
 */
class ServiceTablesTest {

    static Stream<Arguments> service() {
        return Stream.of(
                arguments("TestPrintService: name, cluster ip, port with protocol", false,
                        service("test1", "ClusterIP", "10.9.8.7", List.of(), Map.of("foo", "bar"), port(2233, "tcp", null)),
                        List.of("test1", "ClusterIP", "10.9.8.7", "<none>", "2233/tcp", "<unknown>")),
                arguments("TestPrintService: generate options Wide includes selectors", true,
                        service("test1", "ClusterIP", "10.9.8.7", List.of(), Map.of("foo", "bar"), port(2233, "tcp", null)),
                        List.of("test1", "ClusterIP", "10.9.8.7", "<none>", "2233/tcp", "<unknown>", "foo=bar")),
                arguments("TestPrintService: NodePort service", false,
                        service("test2", "NodePort", "10.9.8.7", List.of(), Map.of(), port(8888, "tcp", 9999)),
                        List.of("test2", "NodePort", "10.9.8.7", "<none>", "8888:9999/tcp", "<unknown>")),
                arguments("TestPrintService: LoadBalancer service", false,
                        service("test3", "LoadBalancer", "10.9.8.7", List.of(), Map.of(), port(8888, "tcp", null)),
                        List.of("test3", "LoadBalancer", "10.9.8.7", "<pending>", "8888/tcp", "<unknown>")),
                arguments("TestPrintService: LoadBalancer service with single ExternalIP and no LoadBalancerStatus", false,
                        service("test4", "LoadBalancer", "10.9.8.7", List.of("80.11.12.10"), Map.of(), port(8888, "tcp", null)),
                        List.of("test4", "LoadBalancer", "10.9.8.7", "80.11.12.10", "8888/tcp", "<unknown>")),
                arguments("TestPrintService: LoadBalancer service with single ExternalIP", false,
                        withIngress(service("test5", "LoadBalancer", "10.9.8.7", List.of("80.11.12.10"), Map.of(), port(8888, "tcp", null)),
                                ingress("3.4.5.6", "test.cluster.com")),
                        List.of("test5", "LoadBalancer", "10.9.8.7", "3.4.5.6,80.11.12.10", "8888/tcp", "<unknown>")),
                arguments("TestPrintService: LoadBalancer service with mul ExternalIPs", false,
                        withIngress(service("test6", "LoadBalancer", "10.9.8.7", List.of("80.11.12.10", "80.11.12.11"), Map.of(),
                                port(8888, "tcp", null)), ingress("2.3.4.5", "test.cluster.local"), ingress("3.4.5.6", "test.cluster.com")),
                        List.of("test6", "LoadBalancer", "10.9.8.7", "2.3.4.5,3.4.5.6,80.11.12.10,80.11.12.11", "8888/tcp", "<unknown>")),
                arguments("TestPrintService: ExternalName service", false,
                        new ServiceBuilder().withMetadata(named("test7")).withSpec(new ServiceSpecBuilder().withType("ExternalName")
                                .withExternalName("my.database.example.com").build()).build(),
                        List.of("test7", "ExternalName", "<none>", "my.database.example.com", "<none>", "<unknown>")),
                arguments("TestPrintServiceList: service1", false,
                        service("service1", "ClusterIP", "10.9.8.7", List.of(), Map.of(), port(2233, "tcp", null)),
                        List.of("service1", "ClusterIP", "10.9.8.7", "<none>", "2233/tcp", "<unknown>")),
                arguments("TestPrintServiceList: service2", false,
                        service("service2", "NodePort", "1.2.3.4", List.of(), Map.of(), port(5566, "udp", null)),
                        List.of("service2", "NodePort", "1.2.3.4", "<none>", "5566/udp", "<unknown>")),
                arguments("TestPrintServiceLoadBalancer: load balancer service with multiple external IP's", false,
                        withIngress(service("service1", "LoadBalancer", "1.2.3.4", List.of(), Map.of(), port(80, "TCP", null)),
                                ingress("2.3.4.5", null), ingress("3.4.5.6", null)),
                        List.of("service1", "LoadBalancer", "1.2.3.4", "2.3.4.5,3.4.5.6", "80/TCP", "<unknown>")),
                arguments("TestPrintServiceLoadBalancer: load balancer service with pending external IP", false,
                        service("service2", "LoadBalancer", "1.3.4.5", List.of(), Map.of(), port(80, "TCP", null), port(8090, "UDP", null),
                                port(8000, "TCP", null), port(7777, "SCTP", null)),
                        List.of("service2", "LoadBalancer", "1.3.4.5", "<pending>", "80/TCP,8090/UDP,8000/TCP,7777/SCTP", "<unknown>")),
                arguments("TestPrintServiceLoadBalancer: load balancer service with multiple ports", false,
                        withIngress(service("service3", "LoadBalancer", "1.4.5.6", List.of(), Map.of(), port(80, "TCP", null),
                                port(8090, "UDP", null), port(8000, "TCP", null)), ingress("2.3.4.5", null)),
                        List.of("service3", "LoadBalancer", "1.4.5.6", "2.3.4.5", "80/TCP,8090/UDP,8000/TCP", "<unknown>")),
                arguments("TestPrintServiceLoadBalancer: generate options Wide, includes selectors (the IP list is not elided)", true,
                        withIngress(service("service4", "LoadBalancer", "1.5.6.7", List.of(), Map.of("foo", "bar"), port(80, "TCP", null),
                                port(8090, "UDP", null), port(8000, "TCP", null)), ingress("2.3.4.5", null), ingress("3.4.5.6", null),
                                ingress("5.6.7.8", "host5678")),
                        List.of("service4", "LoadBalancer", "1.5.6.7", "2.3.4.5,3.4.5.6,5.6.7.8", "80/TCP,8090/UDP,8000/TCP", "<unknown>", "foo=bar")),
                arguments("v1 clusterIP: the address when clusterIPs is not set", true,
                        new ServiceBuilder().withMetadata(named("legacy")).withSpec(new ServiceSpecBuilder().withType("ClusterIP")
                                .withClusterIP("10.96.0.10").withPorts(port(53, "UDP", null)).build()).build(),
                        List.of("legacy", "ClusterIP", "10.96.0.10", "<none>", "53/UDP", "<unknown>", "<none>")),
                arguments("TestTableRowDeepCopyShouldNotPanic: Service", true, new Service(),
                        List.of("", "", "<none>", "<unknown>", "<none>", "<unknown>", "<none>")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void service(String upstreamCase, boolean wide, Service svc, List<Object> cells) {
        assertThat(wide ? wide(ServiceTables.SERVICE, svc) : narrow(ServiceTables.SERVICE, svc)).containsExactlyElementsOf(cells);
    }

    static Stream<Arguments> endpoints() {
        EndpointAddress a1 = address("1.2.3.4");
        EndpointAddress a2 = address("5.6.7.8");
        return Stream.of(
                arguments("TestPrintEndpoint: basic endpoint with no IP's",
                        new EndpointsBuilder().withMetadata(created("endpoint1", almostNow())).build(), List.of("endpoint1", "<none>", "0s")),
                arguments("TestPrintEndpoint: endpoint with no ports",
                        new EndpointsBuilder().withMetadata(created("endpoint3", ago(Duration.ofMinutes(5))))
                                .withSubsets(new EndpointSubsetBuilder().withAddresses(a1, a2).build()).build(),
                        List.of("endpoint3", "1.2.3.4,5.6.7.8", "5m")),
                arguments("TestPrintEndpoint: basic endpoint with two IP's and one port",
                        new EndpointsBuilder().withMetadata(created("endpoint2", almostNow())).withSubsets(new EndpointSubsetBuilder()
                                .withAddresses(a1, a2).withPorts(new EndpointPortBuilder().withPort(8001).withProtocol("tcp").build()).build())
                                .build(),
                        List.of("endpoint2", "1.2.3.4:8001,5.6.7.8:8001", "0s")),
                arguments("TestPrintEndpoint: basic endpoint with greater than three IP's triggering \"more\" string",
                        new EndpointsBuilder().withMetadata(created("endpoint2", almostNow())).withSubsets(new EndpointSubsetBuilder()
                                .withAddresses(a1, a2, address("9.8.7.6"), address("6.6.6.6"))
                                .withPorts(new EndpointPortBuilder().withPort(8001).withProtocol("tcp").build()).build()).build(),
                        List.of("endpoint2", "1.2.3.4:8001,5.6.7.8:8001,9.8.7.6:8001 + 1 more...", "0s")),
                arguments("formatEndpoints: net.JoinHostPort brackets IPv6 addresses",
                        new EndpointsBuilder().withMetadata(created("v6", almostNow())).withSubsets(new EndpointSubsetBuilder()
                                .withAddresses(address("fd00::1")).withPorts(new EndpointPortBuilder().withPort(80).build()).build()).build(),
                        List.of("v6", "[fd00::1]:80", "0s")),
                arguments("formatEndpoints: subsets without addresses print nothing, not <none>",
                        new EndpointsBuilder().withMetadata(created("empty", almostNow()))
                                .withSubsets(new EndpointSubsetBuilder().withPorts(new EndpointPortBuilder().withPort(80).build()).build()).build(),
                        List.of("empty", "", "0s")),
                arguments("TestTableRowDeepCopyShouldNotPanic: Endpoints", new Endpoints(), List.of("", "<none>", "<unknown>")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void endpoints(String upstreamCase, Endpoints ep, List<Object> cells) {
        assertThat(wide(ServiceTables.ENDPOINTS, ep)).containsExactlyElementsOf(cells);
    }

    private static Service service(String name, String type, String clusterIP, List<String> externalIPs, Map<String, String> selector,
            ServicePort... ports) {
        return new ServiceBuilder().withMetadata(named(name)).withSpec(new ServiceSpecBuilder().withType(type).withClusterIPs(clusterIP)
                .withExternalIPs(externalIPs).withSelector(selector).withPorts(ports).build()).build();
    }

    private static Service withIngress(Service svc, LoadBalancerIngress... ingress) {
        return new ServiceBuilder(svc).withNewStatus().withNewLoadBalancer().withIngress(Arrays.asList(ingress)).endLoadBalancer().endStatus()
                .build();
    }

    private static LoadBalancerIngress ingress(String ip, String hostname) {
        return new LoadBalancerIngressBuilder().withIp(ip).withHostname(hostname).build();
    }

    private static ServicePort port(int port, String protocol, Integer nodePort) {
        return new ServicePortBuilder().withPort(port).withProtocol(protocol).withNodePort(nodePort).build();
    }

    private static EndpointAddress address(String ip) {
        return new EndpointAddressBuilder().withIp(ip).build();
    }
}
