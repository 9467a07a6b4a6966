package dev.berth.platform.apiserver.printing;

import static dev.berth.platform.apiserver.printing.Cells.count;
import static dev.berth.platform.apiserver.printing.Cells.list;
import static dev.berth.platform.apiserver.printing.Cells.str;

import dev.berth.platform.apiserver.printing.KindTable.Row;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** core/v1 Service and Endpoints tables: upstream's {@code printService} and {@code printEndpoints}. Pure. */
final class ServiceTables {

    /** {@code ServiceSpec{}.SwaggerDoc()["type"]}. */
    private static final String SERVICESPEC_TYPE =
            "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are "
            + "ExternalName, ClusterIP, NodePort, and LoadBalancer. \"ClusterIP\" allocates a cluster-internal "
            + "IP address for load-balancing to endpoints. Endpoints are determined by the selector or if "
            + "that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. "
            + "If clusterIP is \"None\", no virtual IP is allocated and the endpoints are published as a set of "
            + "endpoints rather than a virtual IP. \"NodePort\" builds on ClusterIP and allocates a port on "
            + "every node which routes to the same endpoints as the clusterIP. \"LoadBalancer\" builds on "
            + "NodePort and creates an external load-balancer (if supported in the current cloud) which "
            + "routes to the same endpoints as the clusterIP. \"ExternalName\" aliases this service to the "
            + "specified externalName. Several other fields do not apply to ExternalName services. More info: "
            + "https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types";
    /** {@code ServiceSpec{}.SwaggerDoc()["clusterIP"]}. */
    private static final String SERVICESPEC_CLUSTERIP =
            "clusterIP is the IP address of the service and is usually assigned randomly. If an address is "
            + "specified manually, is in-range (as per system configuration), and is not in use, it will be "
            + "allocated to the service; otherwise creation of the service will fail. This field may not be "
            + "changed through updates unless the type field is also being changed to ExternalName (which "
            + "requires this field to be blank) or the type field is being changed from ExternalName (in "
            + "which case this field may optionally be specified, as describe above).  Valid values are "
            + "\"None\", empty string (\"\"), or a valid IP address. Setting this to \"None\" makes a \"headless "
            + "service\" (no virtual IP), which is useful when direct endpoint connections are preferred and "
            + "proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If "
            + "this field is specified when creating a Service of type ExternalName, creation will fail. This "
            + "field will be wiped when updating a Service to type ExternalName. More info: "
            + "https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies";
    /** {@code ServiceSpec{}.SwaggerDoc()["externalIPs"]}. */
    private static final String SERVICESPEC_EXTERNALIPS =
            "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic "
            + "for this service.  These IPs are not managed by Kubernetes.  The user is responsible for "
            + "ensuring that traffic arrives at a node with this IP.  A common example is external "
            + "load-balancers that are not part of the Kubernetes system.";
    /** {@code ServiceSpec{}.SwaggerDoc()["ports"]}. */
    private static final String SERVICESPEC_PORTS =
            "The list of ports that are exposed by this service. More info: "
            + "https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies";
    /** {@code ServiceSpec{}.SwaggerDoc()["selector"]}. */
    private static final String SERVICESPEC_SELECTOR =
            "Route service traffic to pods with label keys and values matching this selector. If empty or "
            + "not present, the service is assumed to have an external process managing its endpoints, which "
            + "Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. "
            + "Ignored if type is ExternalName. More info: "
            + "https://kubernetes.io/docs/concepts/services-networking/service/";
    /** {@code Endpoints{}.SwaggerDoc()["subsets"]}. */
    private static final String ENDPOINTS_SUBSETS =
            "The set of all endpoints is the union of all subsets. Addresses are placed into subsets "
            + "according to the IPs they share. A single address with multiple ports, some of which are ready "
            + "and some of which are not (because they come from different containers) will result in the "
            + "address being displayed in different subsets for the different ports. No address will appear "
            + "in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that "
            + "comprise a service.";

    static final KindTable<Service> SERVICE = new KindTable<>("v1", "Service", Service.class, List.of(
            TableColumn.NAME,
            TableColumn.string("Type", SERVICESPEC_TYPE),
            TableColumn.string("Cluster-IP", SERVICESPEC_CLUSTERIP),
            TableColumn.string("External-IP", SERVICESPEC_EXTERNALIPS),
            TableColumn.string("Port(s)", SERVICESPEC_PORTS),
            TableColumn.AGE,
            TableColumn.wide("Selector", SERVICESPEC_SELECTOR)), ServiceTables::service);

    static final KindTable<Endpoints> ENDPOINTS = new KindTable<>("v1", "Endpoints", Endpoints.class, List.of(
            TableColumn.NAME,
            TableColumn.string("Endpoints", ENDPOINTS_SUBSETS),
            TableColumn.AGE), ServiceTables::endpoints);

    /** How many endpoints the ENDPOINTS cell lists before "+ N more...". */
    private static final int MAX_ENDPOINTS = 3;

    private ServiceTables() {}

    static Row service(Service svc, Ages ages) {
        ServiceSpec spec = svc.getSpec() == null ? new ServiceSpec() : svc.getSpec();
        ServiceStatus status = svc.getStatus() == null ? new ServiceStatus() : svc.getStatus();
        String ports = list(spec.getPorts()).stream().map(ServiceTables::port).collect(Collectors.joining(","));
        return Row.of(Cells.name(svc), str(spec.getType()), Cells.orNone(clusterIP(spec)), externalIP(spec, status), Cells.orNone(ports),
                ages.created(svc), Cells.formatLabels(spec.getSelector()));
    }

    /** The internal API's {@code clusterIPs[0]}; v1's older {@code clusterIP} when {@code clusterIPs} is not set. */
    private static String clusterIP(ServiceSpec spec) {
        return list(spec.getClusterIPs()).isEmpty() ? str(spec.getClusterIP()) : str(spec.getClusterIPs().get(0));
    }

    private static String port(ServicePort p) {
        int nodePort = count(p.getNodePort());
        return nodePort > 0 ? count(p.getPort()) + ":" + nodePort + "/" + str(p.getProtocol()) : count(p.getPort()) + "/" + str(p.getProtocol());
    }

    /** {@code getServiceExternalIP} with {@code wide}: kube-apiserver prints wide, so a long list is not elided. */
    private static String externalIP(ServiceSpec spec, ServiceStatus status) {
        List<String> externalIPs = list(spec.getExternalIPs());
        return switch (str(spec.getType())) {
            case "ClusterIP", "NodePort" -> externalIPs.isEmpty() ? Cells.NONE : String.join(",", externalIPs);
            case "LoadBalancer" -> {
                String lbIps = loadBalancerIngress(status);
                if (!externalIPs.isEmpty()) {
                    List<String> results = new ArrayList<>();
                    if (!lbIps.isEmpty()) {
                        results.addAll(List.of(lbIps.split(",")));
                    }
                    results.addAll(externalIPs);
                    yield String.join(",", results);
                }
                yield lbIps.isEmpty() ? "<pending>" : lbIps;
            }
            case "ExternalName" -> str(spec.getExternalName());
            default -> Ages.UNKNOWN;
        };
    }

    /** {@code loadBalancerStatusStringer}: each ingress's IP, else its hostname, sorted and unique. */
    private static String loadBalancerIngress(ServiceStatus status) {
        TreeSet<String> result = new TreeSet<>();
        List<LoadBalancerIngress> ingress = status.getLoadBalancer() == null ? List.of() : list(status.getLoadBalancer().getIngress());
        for (LoadBalancerIngress i : ingress) {
            if (!Cells.isEmpty(i.getIp())) {
                result.add(i.getIp());
            } else if (!Cells.isEmpty(i.getHostname())) {
                result.add(i.getHostname());
            }
        }
        return String.join(",", result);
    }

    static Row endpoints(Endpoints ep, Ages ages) {
        return Row.of(Cells.name(ep), formatEndpoints(list(ep.getSubsets())), ages.created(ep));
    }

    /** {@code formatEndpoints(endpoints, nil)}: the first three {@code ip:port}s (bare IPs for port-less subsets). */
    private static String formatEndpoints(List<EndpointSubset> subsets) {
        if (subsets.isEmpty()) {
            return Cells.NONE;
        }
        List<String> shown = new ArrayList<>();
        boolean more = false;
        int count = 0;
        for (EndpointSubset ss : subsets) {
            List<EndpointAddress> addresses = list(ss.getAddresses());
            List<EndpointPort> ports = list(ss.getPorts());
            if (ports.isEmpty()) { // a headless service may have no ports
                count += addresses.size();
                for (EndpointAddress a : addresses) {
                    if (shown.size() == MAX_ENDPOINTS) {
                        more = true;
                        break;
                    }
                    shown.add(str(a.getIp()));
                }
                continue;
            }
            for (EndpointPort port : ports) {
                count += addresses.size();
                for (EndpointAddress a : addresses) {
                    if (shown.size() == MAX_ENDPOINTS) {
                        more = true;
                        break;
                    }
                    shown.add(joinHostPort(str(a.getIp()), count(port.getPort())));
                }
            }
        }
        String ret = String.join(",", shown);
        return more ? ret + " + " + (count - MAX_ENDPOINTS) + " more..." : ret;
    }

    /** Go's {@code net.JoinHostPort}: IPv6 hosts in brackets. */
    private static String joinHostPort(String host, int port) {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
