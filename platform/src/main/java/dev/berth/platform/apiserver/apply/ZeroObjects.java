package dev.berth.platform.apiserver.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.Map;

/**
 * The empty object of a kind as upstream's create compares against it: Go's zero value, in which the structs that
 * are no pointers ({@code spec}, a Deployment's {@code spec.template} and {@code spec.strategy} …) already exist,
 * empty. A create therefore owns {@code f:spec} without {@code "."}, as kube-apiserver records it, while maps the
 * create adds (labels, a rolling update) are members. Slices without {@code omitempty} are {@code null} there
 * ({@code containers}): a create's containers are items, not a new list. Stateless.
 */
final class ZeroObjects {

    private static final String TEMPLATE = "\"template\":{\"metadata\":{},\"spec\":{\"containers\":null}}";
    private static final Map<Class<?>, String> ZERO = Map.of(
            Deployment.class, "{\"metadata\":{},\"spec\":{" + TEMPLATE + ",\"strategy\":{}},\"status\":{}}",
            ReplicaSet.class, "{\"metadata\":{},\"spec\":{" + TEMPLATE + "},\"status\":{}}",
            StatefulSet.class, "{\"metadata\":{},\"spec\":{" + TEMPLATE + ",\"updateStrategy\":{}},\"status\":{}}",
            Pod.class, "{\"metadata\":{},\"spec\":{\"containers\":null},\"status\":{}}",
            Service.class, "{\"metadata\":{},\"spec\":{},\"status\":{\"loadBalancer\":{}}}",
            Namespace.class, "{\"metadata\":{},\"spec\":{},\"status\":{}}",
            Node.class, "{\"metadata\":{},\"spec\":{},\"status\":{\"daemonEndpoints\":{\"kubeletEndpoint\":{}},\"nodeInfo\":{}}}",
            HorizontalPodAutoscaler.class, "{\"metadata\":{},\"spec\":{\"scaleTargetRef\":{}},\"status\":{}}",
            Event.class, "{\"metadata\":{},\"involvedObject\":{},\"source\":{}}");

    private ZeroObjects() {
    }

    static ObjectNode of(Class<?> kind) {
        try {
            return (ObjectNode) FieldManager.json().readTree(ZERO.getOrDefault(kind, "{\"metadata\":{}}"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
