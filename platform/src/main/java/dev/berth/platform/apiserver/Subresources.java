package dev.berth.platform.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.platform.api.OpenStreams;
import dev.berth.platform.engine.LocalEngine;
import dev.berth.platform.model.Labels;
import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The subresources other than {@code status}: {@code scale} of Deployments, ReplicaSets and StatefulSets (an
 * {@code autoscaling/v1 Scale}), a Pod's {@code binding} (what a scheduler posts), {@code eviction} (what
 * {@code kubectl drain} posts) and {@code log}. Thread-safe.
 */
final class Subresources {

    private final ResourceStorage storage;
    private final KubernetesSerialization json;
    private final LocalEngine engine;
    private final OpenStreams streams;
    private final Vertx vertx;
    private final Clock clock;

    Subresources(ResourceStorage storage, KubernetesSerialization json, LocalEngine engine, OpenStreams streams, Vertx vertx, Clock clock) {
        this.storage = storage;
        this.json = json;
        this.engine = engine;
        this.streams = streams;
        this.vertx = vertx;
        this.clock = clock;
    }

    /** @param patch for a PATCH, the request's patch (of the Scale, for {@code scale}); null otherwise */
    void serve(RoutingContext ctx, Caller caller, RequestInfo info, ResourceKind kind, UnaryOperator<JsonNode> patch) {
        boolean dryRun = ctx.queryParams().getAll("dryRun").contains("All");
        switch (info.subresource() + " " + info.verb()) {
            case "scale get" -> send(ctx, 200, scale(kind, storage.get(kind, info.namespace(), info.name())));
            case "scale update" -> send(ctx, 200, scale(kind, setReplicas(kind, info, read(ctx, Scale.class), dryRun)));
            case "scale patch" -> {
                Scale current = scale(kind, storage.get(kind, info.namespace(), info.name()));
                Scale wanted = json.convertValue(patch.apply(json.convertValue(current, JsonNode.class)), Scale.class);
                send(ctx, 200, scale(kind, setReplicas(kind, info, wanted, dryRun)));
            }
            case "binding create" -> bind(ctx, info.namespace(), info.name(), read(ctx, Binding.class));
            case "eviction create" -> {
                DeleteOptions options = new DeleteOptions();
                options.setDryRun(dryRun ? java.util.List.of("All") : null);
                storage.delete(kind, info.namespace(), info.name(), options);
                send(ctx, 201, new StatusBuilder().withStatus("Success").withCode(201).build());
            }
            case "log get" -> log(ctx, caller, info);
            default -> throw ApiException.methodNotSupported(ApiResources.resource(kind), info.verb() + " on " + info.subresource());
        }
    }

    private HasMetadata setReplicas(ResourceKind kind, RequestInfo info, Scale wanted, boolean dryRun) {
        if (wanted.getSpec() == null || wanted.getSpec().getReplicas() == null) {
            throw ApiException.invalid("Scale.autoscaling", ApiResources.resource(kind), info.name(),
                    java.util.List.of(ApiException.FieldCause.invalid("spec.replicas", "Required value")));
        }
        int replicas = wanted.getSpec().getReplicas();
        String expected = wanted.getMetadata() == null ? null : wanted.getMetadata().getResourceVersion();
        return storage.write(kind, info.namespace(), info.name(), dryRun, current -> {
            if (expected != null && !expected.isEmpty() && !expected.equals(current.getMetadata().getResourceVersion())) {
                throw ApiException.conflict(ApiResources.resource(kind), info.name(),
                        "the object has been modified; please apply your changes to the latest version and try again");
            }
            if (current instanceof Deployment d) {
                d.getSpec().setReplicas(replicas);
            } else if (current instanceof ReplicaSet r) {
                r.getSpec().setReplicas(replicas);
            } else if (current instanceof StatefulSet s) {
                s.getSpec().setReplicas(replicas);
            } else {
                throw ApiException.methodNotSupported(ApiResources.resource(kind), "scale");
            }
            return current;
        }).object();
    }

    /** The Scale view of a workload: desired and current replicas and the selector as a string. */
    static Scale scale(ResourceKind kind, HasMetadata o) {
        Integer desired;
        Integer current;
        LabelSelector selector;
        if (o instanceof Deployment d) {
            desired = d.getSpec().getReplicas();
            current = d.getStatus() == null ? null : d.getStatus().getReplicas();
            selector = d.getSpec().getSelector();
        } else if (o instanceof ReplicaSet r) {
            desired = r.getSpec().getReplicas();
            current = r.getStatus() == null ? null : r.getStatus().getReplicas();
            selector = r.getSpec().getSelector();
        } else if (o instanceof StatefulSet s) {
            desired = s.getSpec().getReplicas();
            current = s.getStatus() == null ? null : s.getStatus().getReplicas();
            selector = s.getSpec().getSelector();
        } else {
            throw ApiException.methodNotSupported(ApiResources.resource(kind), "scale");
        }
        var meta = o.getMetadata();
        return new ScaleBuilder().withNewMetadata().withName(meta.getName()).withNamespace(meta.getNamespace()).withUid(meta.getUid())
                .withResourceVersion(meta.getResourceVersion()).withCreationTimestamp(meta.getCreationTimestamp()).endMetadata()
                .withNewSpec().withReplicas(Objects.requireNonNullElse(desired, 1)).endSpec()
                .withNewStatus().withReplicas(Objects.requireNonNullElse(current, 0)).withSelector(Labels.format(selector)).endStatus().build();
    }

    /**
     * {@code POST /api/v1/namespaces/{ns}/bindings}: the older form of a Pod's {@code binding}, naming the pod in the
     * Binding's metadata (what fabric8's {@code client.bindings()} and older schedulers post); kube-apiserver serves both.
     */
    void bindCollection(RoutingContext ctx, RequestInfo info) {
        Binding binding = read(ctx, Binding.class);
        String name = binding.getMetadata() == null ? null : binding.getMetadata().getName();
        if (name == null || name.isEmpty()) {
            throw ApiException.invalid("Binding", ApiResources.resource(ResourceKind.POD), "",
                    java.util.List.of(ApiException.FieldCause.invalid("metadata.name", "Required value: name is required")));
        }
        bind(ctx, info.namespace(), name, binding);
    }

    private void bind(RoutingContext ctx, String namespace, String name, Binding binding) {
        if (binding.getTarget() == null || binding.getTarget().getName() == null || binding.getTarget().getName().isEmpty()) {
            throw ApiException.invalid("Binding", ApiResources.resource(ResourceKind.POD), name,
                    java.util.List.of(ApiException.FieldCause.invalid("target.name", "Required value")));
        }
        String node = binding.getTarget().getName();
        storage.write(ResourceKind.POD, namespace, name, false, current -> {
            Pod pod = (Pod) current;
            if (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
                throw ApiException.conflict(ApiResources.resource(ResourceKind.POD), name,
                        "pod " + name + " is already assigned to node \"" + pod.getSpec().getNodeName() + "\"");
            }
            pod.getSpec().setNodeName(node);
            return pod;
        });
        send(ctx, 201, new StatusBuilder().withStatus("Success").withCode(201).build());
    }

    /**
     * {@code GET pods/{name}/log}: the container's output with the options of {@link PodLogOptions}, checked in
     * kube-apiserver's order — decoded (400), validated (422), the pod (404), its container (400), then what the kubelet
     * refuses (400: no previous instance); {@code follow} streams until the client or the instance goes.
     */
    private void log(RoutingContext ctx, Caller caller, RequestInfo info) {
        PodLogOptions options = PodLogOptions.fromQuery(ctx.queryParams());
        List<ApiException.FieldCause> invalid = options.validate();
        if (!invalid.isEmpty()) {
            throw ApiException.invalid("PodLogOptions", ApiResources.resource(ResourceKind.POD), info.name(), invalid);
        }
        Pod pod = (Pod) storage.get(ResourceKind.POD, info.namespace(), info.name());
        String container = container(pod, options.container());
        HttpServerResponse response = ctx.response();
        try (InputStream in = engine.logs(info.namespace(), info.name(), container, options.kubelet(clock.instant()));
                AutoCloseable slot = options.follow() ? streams.open(OpenStreams.Stream.FOLLOW, caller.name()) : null) {
            response.setChunked(true).putHeader("Content-Type", "text/plain").setStatusCode(200);
            response.closeHandler(v -> closeQuietly(in));
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0 && !response.closed()) {
                response.write(Buffer.buffer().appendBytes(buf, 0, n));
            }
            if (!response.closed()) {
                response.end();
            }
        } catch (IOException e) {
            if (!response.closed()) {
                response.end();
            }
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /**
     * Upstream's {@code validateContainer}: the container named, which the pod must have; unnamed, the pod's only
     * container. Names are listed as {@code VisitContainers} visits them: init, regular, ephemeral.
     */
    private static String container(Pod pod, String named) {
        List<String> names = new ArrayList<>();
        Optional.ofNullable(pod.getSpec().getInitContainers()).ifPresent(cs -> cs.forEach(c -> names.add(c.getName())));
        Optional.ofNullable(pod.getSpec().getContainers()).ifPresent(cs -> cs.forEach(c -> names.add(c.getName())));
        Optional.ofNullable(pod.getSpec().getEphemeralContainers()).ifPresent(cs -> cs.forEach(c -> names.add(c.getName())));
        String name = pod.getMetadata().getName();
        if (named != null) {
            if (!names.contains(named)) {
                throw ApiException.badRequest("container " + named + " is not valid for pod " + name);
            }
            return named;
        }
        List<io.fabric8.kubernetes.api.model.Container> regular = Optional.ofNullable(pod.getSpec().getContainers()).orElse(List.of());
        return switch (regular.size()) {
            case 1 -> regular.get(0).getName();
            case 0 -> throw ApiException.badRequest("a container name must be specified for pod " + name);
            default -> throw ApiException.badRequest("a container name must be specified for pod " + name + ", choose one of: ["
                    + String.join(" ", names) + "]");
        };
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // the reading thread sees end of stream either way
        }
    }

    private <T> T read(RoutingContext ctx, Class<T> type) {
        String body = ProtobufBodies.text(ctx); // drain's evictions come as protobuf
        if (body == null || body.isEmpty()) {
            throw ApiException.badRequest("the request has no body: a " + type.getSimpleName() + " is required");
        }
        try {
            return json.unmarshal(body, type);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("the body cannot be read as a " + type.getSimpleName() + ": " + ApiHandler.rootMessage(e));
        }
    }

    private void send(RoutingContext ctx, int code, Object body) {
        ctx.response().setStatusCode(code).putHeader("Content-Type", "application/json").end(json.asJson(body));
    }
}
