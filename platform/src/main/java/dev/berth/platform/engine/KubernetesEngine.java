package dev.berth.platform.engine;

import dev.berth.platform.controller.DeploymentPlanner;
import dev.berth.platform.controller.PodTemplates;
import dev.berth.platform.model.ObjectKey;
import dev.berth.platform.model.Owners;
import dev.berth.platform.model.ResourceKind;
import dev.berth.platform.store.WatchEvent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one {@link Engine}: the Kubernetes API through the fabric8 client, whether the cluster is the core on this
 * machine ({@link #local}) or a real one ({@link #connect}). Server-side apply with field manager {@code berth} (a
 * conflict with another manager is reported, never forced), reads, watches, scale, logs, and the rollout verbs as
 * kubectl performs them; what differs between the two is the {@link Site}.
 */
public final class KubernetesEngine implements Engine, AutoCloseable {

    public static final String FIELD_MANAGER = "berth";
    /**
     * The one-field verbs' patch type. kubectl sends strategic merge patches for some of them; on these scalar and map
     * fields a JSON merge patch means the same, and every API server takes it (strategic merge needs the kind's schema).
     */
    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
    private static final PatchContext JSON_PATCH = PatchContext.of(PatchType.JSON);

    private final KubernetesClient client;
    private final Site site;
    private final KubernetesSerialization json;

    public KubernetesEngine(KubernetesClient client, Site site) {
        this.client = client;
        this.json = client.getKubernetesSerialization(); // the client's own mapper: no second one to build per command
        this.site = site;
    }

    /** A real cluster behind this client. */
    public KubernetesEngine(KubernetesClient client) {
        this(client, new ClusterSite());
    }

    /**
     * A real cluster, chosen the kubectl way: {@code KUBECONFIG} (or {@code ~/.kube/config}) and its current context,
     * a named context, or the pod's service account in-cluster.
     *
     * @param context a kubeconfig context; null for the current one (or the in-cluster service account)
     */
    public static KubernetesEngine connect(String context) {
        Config config = context == null ? Config.autoConfigure(null) : Config.autoConfigure(context);
        return new KubernetesEngine(new KubernetesClientBuilder().withConfig(config).build());
    }

    /**
     * The core on this machine, "a cluster at 127.0.0.1:7070": its Kubernetes API with the bearer token {@code berth up}
     * wrote (plain HTTP on loopback), never the user's kubeconfig.
     */
    public static KubernetesEngine local(java.net.URI server, String token) {
        // plain HTTP on loopback is HTTP/1.1, as kubectl speaks it there: the JDK client would otherwise try an h2c
        // upgrade on the first request (HTTP/2 classes, hpack, the upgrade's round trip) for one GET
        boolean plain = "http".equals(server.getScheme());
        // Plain HTTP never uses TLS, yet fabric8 builds the client's trust managers from the JDK's trust store
        // (parsing its ~140 certificates, about 40 ms of a berth command) unless told to trust every certificate. So
        // for plain HTTP it is told that, and the client follows no redirect (fabric8 follows all, to https too): no
        // request of this client can reach a TLS server. Over https the core's CA is checked as usual.
        Config config = new io.fabric8.kubernetes.client.ConfigBuilder(Config.empty()).withMasterUrl(server.toString()).withOauthToken(token)
                .withNamespace(ObjectKey.DEFAULT_NAMESPACE).withRequestRetryBackoffLimit(0).withHttp2Disable(plain).withTrustCerts(plain)
                .build();
        // the factory named, not looked up: fabric8's ServiceLoader lookup reads every jar on the classpath
        JdkHttpClientFactory factory = plain ? new PlainHttpClientFactory() : new JdkHttpClientFactory();
        return new KubernetesEngine(new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(factory).build(),
                new LocalSite(server, token));
    }

    /** fabric8's JDK client for a plain-HTTP server: no redirects (see {@link #local}). */
    static final class PlainHttpClientFactory extends JdkHttpClientFactory {
        @Override
        protected void additionalConfig(java.net.http.HttpClient.Builder builder) {
            builder.followRedirects(java.net.http.HttpClient.Redirect.NEVER);
        }
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    public String describeCluster() {
        return site.describe(this);
    }

    @Override
    public Optional<ServiceAddress> serviceAddress(String namespace, String service) {
        return site.serviceAddress(this, namespace, service);
    }

    @Override
    public com.fasterxml.jackson.databind.JsonNode searchLogs(String query, String namespace, int limit) {
        return site.searchLogs(query, namespace, limit);
    }

    @Override
    public boolean rollsBackItself() {
        return site.rollsBackItself();
    }

    /**
     * Server-side apply of every object, after a server-side dry run of all of them, so a refused object leaves the
     * cluster unchanged. An object is {@code unchanged} when the dry run returns it as the cluster has it (ignoring the
     * fields the server maintains).
     */
    @Override
    public List<ApplyResult> apply(List<HasMetadata> objects, String defaultNamespace, boolean dryRun) {
        for (HasMetadata o : objects) {
            if (o instanceof io.fabric8.kubernetes.api.model.Namespaced && o.getMetadata().getNamespace() == null) {
                o.getMetadata().setNamespace(defaultNamespace == null ? ObjectKey.DEFAULT_NAMESPACE : defaultNamespace);
            }
            o.getMetadata().setManagedFields(null);
        }
        List<HasMetadata> previews = new ArrayList<>();
        List<HasMetadata> live = new ArrayList<>();
        for (HasMetadata o : objects) {
            HasMetadata current = call(() -> client.resource(o).get());
            HasMetadata preview = preview(o);
            // a controller may write the object between the read and the dry run (a Deployment's revision annotation):
            // compare the preview with the version it was computed from
            for (int retry = 0; retry < 3 && current != null && preview != null
                    && !Objects.equals(current.getMetadata().getResourceVersion(), preview.getMetadata().getResourceVersion()); retry++) {
                current = call(() -> client.resource(o).get());
                preview = preview(o);
            }
            live.add(current);
            previews.add(preview);
        }
        List<ApplyResult> results = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            HasMetadata o = objects.get(i);
            HasMetadata before = live.get(i);
            HasMetadata after = dryRun ? previews.get(i) : before == null ? create(o) : call(() -> client.resource(o).fieldManager(FIELD_MANAGER).serverSideApply());
            ApplyResult.Action action = before == null ? ApplyResult.Action.CREATED
                    : sameContent(before, previews.get(i)) ? ApplyResult.Action.UNCHANGED : ApplyResult.Action.CONFIGURED;
            results.add(new ApplyResult(o.getKind(), o.getMetadata().getNamespace(), o.getMetadata().getName(), action,
                    after == null ? null : after.getMetadata().getResourceVersion()));
        }
        return results;
    }

    /** The server's dry run of the apply: every object is validated before any is written. */
    private HasMetadata preview(HasMetadata o) {
        try {
            return client.resource(o).dryRun().fieldManager(FIELD_MANAGER).serverSideApply();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 && call(() -> client.resource(o).get()) == null) {
                return null; // fabric8's mock server cannot apply a missing object, even as a dry run (see create)
            }
            return call(() -> {
                throw e;
            });
        }
    }

    /**
     * A new object, by server-side apply too (so Berth owns its fields). fabric8's mock API server answers an apply of
     * a missing object with 404 where a real one creates it: then it is created.
     */
    private HasMetadata create(HasMetadata o) {
        try {
            return client.resource(o).fieldManager(FIELD_MANAGER).serverSideApply();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                return call(() -> {
                    throw e;
                });
            }
            return call(() -> client.resource(o).create());
        }
    }

    /** Equal but for what the API server maintains itself (versions, managed fields, timestamps, status). */
    boolean sameContent(HasMetadata a, HasMetadata b) {
        return Objects.equals(content(a), content(b));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> content(HasMetadata o) {
        Map<String, Object> map = json.convertValue(o, Map.class);
        map.remove("status");
        Map<String, Object> meta = (Map<String, Object>) map.get("metadata");
        if (meta != null) {
            for (String server : List.of("resourceVersion", "managedFields", "generation", "uid", "creationTimestamp", "selfLink")) {
                meta.remove(server);
            }
        }
        return map;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> Optional<T> get(ResourceKind kind, String namespace, String name) {
        return Optional.ofNullable((T) call(() -> resource(kind, namespace, name).get()));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> List<T> list(ResourceKind kind, String namespace, String labelSelector) {
        var options = new ListOptionsBuilder().withLabelSelector(labelSelector == null || labelSelector.isBlank() ? null : labelSelector).build();
        var op = client.resources(kind.type());
        return (List<T>) call(() -> kind.namespaced() && namespace != null ? op.inNamespace(namespace).list(options).getItems()
                : kind.namespaced() ? op.inAnyNamespace().list(options).getItems() : op.list(options).getItems());
    }

    @Override
    public <T extends HasMetadata> T update(T object) {
        return call(() -> client.resource(object).update());
    }

    @Override
    public boolean delete(ResourceKind kind, String namespace, String name) {
        return call(() -> !resource(kind, namespace, name).delete().isEmpty());
    }

    @Override
    public HasMetadata scale(ResourceKind kind, String namespace, String name, int replicas) {
        if (kind != ResourceKind.DEPLOYMENT && kind != ResourceKind.STATEFULSET) {
            throw new EngineException(400, kind.kind() + " cannot be scaled: only Deployments and StatefulSets");
        }
        String patch = mergePatch(Map.of("spec", Map.of("replicas", replicas)));
        return call(() -> kind == ResourceKind.DEPLOYMENT
                ? client.apps().deployments().inNamespace(namespace).withName(name).patch(MERGE, patch)
                : client.apps().statefulSets().inNamespace(namespace).withName(name).patch(MERGE, patch));
    }

    @Override
    public AutoCloseable watch(ResourceKind kind, String namespace, String labelSelector, Consumer<WatchEvent> listener) {
        var options = new ListOptionsBuilder().withLabelSelector(labelSelector == null || labelSelector.isBlank() ? null : labelSelector).build();
        Watcher<HasMetadata> watcher = new Watcher<>() {
            @Override
            public void eventReceived(Action action, HasMetadata o) {
                WatchEvent.Type type = switch (action) {
                    case ADDED -> WatchEvent.Type.ADDED;
                    case DELETED -> WatchEvent.Type.DELETED;
                    default -> WatchEvent.Type.MODIFIED;
                };
                if (action != Action.ERROR && action != Action.BOOKMARK) {
                    String rv = o.getMetadata().getResourceVersion();
                    listener.accept(new WatchEvent(type, ObjectKey.of(o), o, rv == null || !rv.matches("\\d+") ? 0 : Long.parseLong(rv)));
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // the caller closed the watch, or the server ended it: a new watch starts from a fresh list
            }
        };
        io.fabric8.kubernetes.client.Watch w = call(() -> watchOf(kind, namespace).watch(options, watcher));
        return w::close;
    }

    @Override
    public InputStream logs(String namespace, String pod, Integer tailLines, boolean follow) {
        exists(ResourceKind.POD, namespace, pod);
        var p = client.pods().inNamespace(namespace).withName(pod);
        var tailed = tailLines == null ? p : p.tailingLines(tailLines);
        if (follow) {
            return call(() -> tailed.watchLog().getOutput());
        }
        return new ByteArrayInputStream(call(tailed::getLog).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * pause/resume set {@code spec.paused}; restart stamps {@code kubectl.kubernetes.io/restartedAt}; undo re-applies
     * the pod template of the ReplicaSet at the revision asked for (0: the one before the current), without its
     * {@code pod-template-hash} label — as {@code kubectl rollout undo} does. Each is one PATCH of the fields it changes,
     * never a read-then-replace: the Deployment controller writes the status all through a rollout, and a replace based
     * on a read from before its write would be refused (409).
     */
    @Override
    public Deployment rollout(String namespace, String name, RolloutAction action) {
        Deployment current = this.<Deployment>get(ResourceKind.DEPLOYMENT, namespace, name)
                .orElseThrow(() -> new EngineException(404, "deployments.apps \"" + name + "\" not found"));
        var d = client.apps().deployments().inNamespace(namespace).withName(name);
        if (action instanceof RolloutAction.Pause || action instanceof RolloutAction.Resume) {
            boolean pause = action instanceof RolloutAction.Pause;
            return call(() -> d.patch(MERGE, mergePatch(Map.of("spec", nullable("paused", pause ? Boolean.TRUE : null)))));
        }
        if (action instanceof RolloutAction.Restart) {
            return call(() -> d.patch(MERGE, mergePatch(Map.of("spec", Map.of("template", Map.of("metadata",
                    Map.of("annotations", Map.of("kubectl.kubernetes.io/restartedAt", Instant.now().toString()))))))));
        }
        return undo(current, ((RolloutAction.Undo) action).toRevision());
    }

    private Deployment undo(Deployment d, long toRevision) {
        List<ReplicaSet> owned = this.<ReplicaSet>list(ResourceKind.REPLICASET, d.getMetadata().getNamespace(), null).stream()
                .filter(rs -> Owners.isOwnedBy(rs, d)).sorted(Comparator.comparingLong(DeploymentPlanner::revision).reversed()).toList();
        ReplicaSet target;
        if (toRevision == 0) {
            if (owned.size() < 2) {
                throw new EngineException(400, "no rollout history found for deployment \"" + d.getMetadata().getName() + "\"");
            }
            target = owned.get(1);
        } else {
            target = owned.stream().filter(rs -> DeploymentPlanner.revision(rs) == toRevision).findFirst()
                    .orElseThrow(() -> new EngineException(400, "unable to find specified revision " + toRevision + " in history"));
        }
        PodTemplateSpec template = json.clone(target.getSpec().getTemplate());
        if (template.getMetadata().getLabels() != null) {
            Map<String, String> labels = new HashMap<>(template.getMetadata().getLabels());
            labels.remove(PodTemplates.TEMPLATE_HASH_LABEL);
            template.getMetadata().setLabels(labels);
        }
        // the template is replaced only if the spec is still the one the revision was chosen against: a test of the
        // generation, which status writes leave alone (a test of resourceVersion would fail on every one of them)
        List<Map<String, Object>> ops = new ArrayList<>();
        if (d.getMetadata().getGeneration() != null) {
            ops.add(Map.of("op", "test", "path", "/metadata/generation", "value", d.getMetadata().getGeneration()));
        }
        ops.add(Map.of("op", "replace", "path", "/spec/template", "value", template));
        return call(() -> client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).withName(d.getMetadata().getName())
                .patch(JSON_PATCH, json.asJson(ops)));
    }

    /** cordon/uncordon set {@code spec.unschedulable}; drain cordons and evicts the node's pods (PodDisruptionBudgets apply). */
    @Override
    public HasMetadata node(String name, NodeAction action) {
        exists(ResourceKind.NODE, null, name);
        var n = client.nodes().withName(name);
        return switch (action) {
            case CORDON, UNCORDON -> call(() -> n.patch(MERGE, mergePatch(Map.of("spec",
                    nullable("unschedulable", action == NodeAction.CORDON ? Boolean.TRUE : null)))));
            case DRAIN -> {
                Node cordoned = call(() -> n.patch(MERGE, mergePatch(Map.of("spec", Map.of("unschedulable", true)))));
                for (Pod p : call(() -> client.pods().inAnyNamespace().withField("spec.nodeName", name).list().getItems())) {
                    boolean daemon = p.getMetadata().getOwnerReferences() != null
                            && p.getMetadata().getOwnerReferences().stream().anyMatch(o -> "DaemonSet".equals(o.getKind()));
                    if (!daemon && !call(() -> client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).evict())) {
                        throw new EngineException(429, "cannot evict pod " + p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()
                                + ": it would violate its PodDisruptionBudget; retry later");
                    }
                }
                yield cordoned;
            }
            case FAIL, RECOVER -> site.failOrRecover(this, name, action);
        };
    }

    @Override
    public void close() {
        client.close();
    }

    private String mergePatch(Map<String, Object> fields) {
        return json.asJson(fields);
    }

    /** One field of a merge patch; null removes it (Map.of refuses null values). */
    private static Map<String, Object> nullable(String field, Object value) {
        Map<String, Object> m = new HashMap<>();
        m.put(field, value);
        return m;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private io.fabric8.kubernetes.client.dsl.Watchable<HasMetadata> watchOf(ResourceKind kind, String namespace) {
        io.fabric8.kubernetes.client.dsl.MixedOperation op = client.resources(kind.type());
        if (!kind.namespaced()) {
            return op;
        }
        return namespace == null ? (io.fabric8.kubernetes.client.dsl.Watchable) op.inAnyNamespace() : (io.fabric8.kubernetes.client.dsl.Watchable) op.inNamespace(namespace);
    }

    private Resource<? extends HasMetadata> resource(ResourceKind kind, String namespace, String name) {
        var op = client.resources(kind.type());
        return kind.namespaced() ? op.inNamespace(namespace == null ? ObjectKey.DEFAULT_NAMESPACE : namespace).withName(name) : op.withName(name);
    }

    private void exists(ResourceKind kind, String namespace, String name) {
        if (get(kind, namespace, name).isEmpty()) {
            throw new EngineException(404, kind.plural() + " \"" + name + "\" not found");
        }
    }

    /**
     * Runs a client call; the API server's refusals become EngineExceptions with its status, message and the fields
     * at fault ({@code details.causes}).
     */
    static <T> T call(java.util.function.Supplier<T> body) {
        try {
            return body.get();
        } catch (KubernetesClientException e) {
            int code = e.getCode() == 0 ? 503 : e.getCode();
            io.fabric8.kubernetes.api.model.Status status = e.getStatus();
            String message = status != null && status.getMessage() != null ? status.getMessage() : e.getMessage();
            if (code == 409 && message != null && message.contains("conflict")) {
                message = message + " (Berth applies with field manager \"" + FIELD_MANAGER + "\" and never forces: resolve the conflict, "
                        + "e.g. remove the field from the other manager, then apply again)";
            }
            List<dev.berth.support.problem.Problem.FieldError> fields = new ArrayList<>();
            if (status != null && status.getDetails() != null && status.getDetails().getCauses() != null) {
                status.getDetails().getCauses().stream().filter(c -> c.getField() != null)
                        .forEach(c -> fields.add(new dev.berth.support.problem.Problem.FieldError(c.getField(), c.getMessage())));
            }
            throw new EngineException(code, message, fields);
        }
    }
}
