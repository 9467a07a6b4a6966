package dev.berth.platform.cli;

import dev.berth.platform.engine.ApplyResult;
import dev.berth.platform.engine.Engine;
import dev.berth.platform.engine.EngineException;
import dev.berth.platform.engine.KubernetesEngine;
import dev.berth.platform.engine.NodeAction;
import dev.berth.platform.model.ResourceKind;
import dev.berth.support.problem.Problem;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth}: the platform CLI, kubectl-shaped. Talks to the core's API (the local engine) with the token
 * {@code berth up} wrote; exit code 0 on success, 1 when the core refused, 2 on bad usage.
 */
@Command(name = "berth", mixinStandardHelpOptions = true, version = "berth 0.1.0",
        description = "Runs and operates Berth: a small Kubernetes on this machine for Quarkus services.",
        subcommands = {UpCommand.class, DownCommand.class, BerthCli.Apply.class, BerthCli.Get.class, BerthCli.Describe_.class,
            BerthCli.Logs.class, BerthCli.Delete.class, BerthCli.Scale.class, RolloutCommand.class, SetCommand.class, BerthCli.Nodes.class, PipelineCommand.class})
public final class BerthCli {

    @Option(names = "--server", description = "the core's API (default ${DEFAULT-VALUE})", defaultValue = "${env:BERTH_SERVER:-http://127.0.0.1:7070}",
            scope = CommandLine.ScopeType.INHERIT)
    URI server;

    @Option(names = "--token-file", description = "bearer token file (default ${DEFAULT-VALUE})",
            defaultValue = "${env:BERTH_STATE:-${sys:user.home}/.berth}/token", scope = CommandLine.ScopeType.INHERIT)
    Path tokenFile;

    @Option(names = "--engine", description = "local (the core on this machine, the default) or kubernetes (a real cluster)",
            defaultValue = "${env:BERTH_ENGINE:-local}", scope = CommandLine.ScopeType.INHERIT)
    String engineName;

    @Option(names = "--context", description = "with --engine kubernetes: the kubeconfig context (default: KUBECONFIG's current one, or in-cluster)",
            scope = CommandLine.ScopeType.INHERIT)
    String context;

    static final KubernetesSerialization JSON = new KubernetesSerialization();

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new BerthCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof EngineException ee) {
                cmd.getErr().println("error: " + ee.getMessage());
                for (Problem.FieldError f : ee.errors()) {
                    cmd.getErr().println("  " + f.field() + ": " + f.message());
                }
                return 1;
            }
            throw e;
        });
        int code = cli.execute(args);
        cli.getOut().flush();
        cli.getErr().flush();
        System.exit(code);
    }

    /**
     * The engine every command talks to, through the Kubernetes API either way: the core on this machine (with the
     * token {@code berth up} wrote), or a Kubernetes cluster.
     */
    Engine engine() {
        return switch (engineName) {
            case "local" -> KubernetesEngine.local(server, token());
            case "kubernetes" -> KubernetesEngine.connect(context);
            default -> throw new CommandLine.ParameterException(new CommandLine(new BerthCli()), "error: --engine must be local or kubernetes, not \"" + engineName + "\"");
        };
    }

    /** The core on this machine, for what starts it (berth up, a local pipeline run). */
    Engine local() {
        if (!engineName.equals("local")) {
            throw new EngineException(400, "this needs the local engine (the core on this machine), not --engine " + engineName);
        }
        return engine();
    }

    private String token() {
        try {
            return Files.exists(tokenFile) ? Files.readString(tokenFile).strip() : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token file " + tokenFile, e);
        }
    }

    static ResourceKind kind(String name) {
        return ResourceKind.parse(name).orElseThrow(() -> new CommandLine.ParameterException(new CommandLine(new BerthCli()),
                "error: the server doesn't have a resource type \"" + name + "\""));
    }

    /** {@code kind/name} or {@code kind name}. */
    static String[] kindAndName(String first, String second) {
        if (first.contains("/")) {
            return first.split("/", 2);
        }
        return new String[] {first, second};
    }

    abstract static class Base implements Callable<Integer> {
        @CommandLine.ParentCommand
        BerthCli root;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    @Command(name = "apply", description = "Create or update objects from YAML/JSON files (kubectl apply).")
    static final class Apply extends Base {
        @Option(names = {"-f", "--filename"}, required = true, description = "file, directory of .yaml/.yml/.json files, or - for stdin")
        List<String> files;

        @Option(names = {"-n", "--namespace"}, description = "namespace for objects that name none")
        String namespace;

        @Option(names = "--dry-run", description = "check only; change nothing")
        boolean dryRun;

        @Override
        public Integer call() throws IOException {
            StringBuilder manifests = new StringBuilder();
            for (String f : files) {
                manifests.append(read(f)).append("\n---\n");
            }
            List<ApplyResult> results = root.engine().apply(manifests.toString(), namespace, dryRun);
            for (ApplyResult r : results) {
                out().println(r.line() + (dryRun ? " (dry run)" : ""));
            }
            return 0;
        }

        static String read(String f) throws IOException {
            if (f.equals("-")) {
                return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Path p = Path.of(f);
            if (Files.isDirectory(p)) {
                StringBuilder all = new StringBuilder();
                try (Stream<Path> files = Files.list(p)) {
                    for (Path x : files.filter(x -> x.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList()) {
                        all.append(Files.readString(x)).append("\n---\n");
                    }
                }
                return all.toString();
            }
            return Files.readString(p);
        }
    }

    @Command(name = "get", description = "List objects (kubectl get): pods, deployments, services, nodes, events …")
    static final class Get extends Base {
        @Parameters(index = "0", description = "resource type (pods, deploy, svc, sts, rs, nodes, events, ep, cm, secrets) or type/name")
        String resource;

        @Parameters(index = "1", arity = "0..1", description = "name")
        String name;

        @Option(names = {"-n", "--namespace"}, defaultValue = "default")
        String namespace;

        @Option(names = {"-A", "--all-namespaces"})
        boolean all;

        @Option(names = {"-l", "--selector"}, description = "label selector, e.g. app=web,tier!=db")
        String selector;

        @Option(names = {"-o", "--output"}, description = "wide, yaml, json or name")
        String output;

        @Override
        public Integer call() {
            String[] kn = kindAndName(resource, name);
            ResourceKind kind = kind(kn[0]);
            List<HasMetadata> items = new ArrayList<>();
            if (kn[1] != null) {
                items.add(root.engine().get(kind, namespace, kn[1]).orElseThrow(() ->
                        new EngineException(404, kind.plural() + " \"" + kn[1] + "\" not found")));
            } else {
                items.addAll(root.engine().list(kind, all ? null : namespace, selector));
            }
            String o = output == null ? "" : output.toLowerCase(Locale.ROOT);
            switch (o) {
                case "yaml" -> out().print(kn[1] != null ? JSON.asYaml(items.get(0)) : JSON.asYaml(list(items)));
                case "json" -> out().println(kn[1] != null ? JSON.asJson(items.get(0)) : JSON.asJson(list(items)));
                case "name" -> items.forEach(i -> out().println(kind.kind().toLowerCase(Locale.ROOT) + "/" + i.getMetadata().getName()));
                default -> {
                    if (items.isEmpty()) {
                        spec.commandLine().getErr().println("No resources found" + (all ? "" : " in " + namespace + " namespace") + ".");
                    } else {
                        out().print(Tables.render(kind, items, o.equals("wide"), all, Instant.now()));
                    }
                }
            }
            return 0;
        }

        private static KubernetesList list(List<HasMetadata> items) {
            KubernetesList l = new KubernetesList();
            l.setItems(items);
            return l;
        }
    }

    @Command(name = "describe", description = "Show an object in detail with its events (kubectl describe).")
    static final class Describe_ extends Base {
        @Parameters(index = "0")
        String resource;

        @Parameters(index = "1", arity = "0..1")
        String name;

        @Option(names = {"-n", "--namespace"}, defaultValue = "default")
        String namespace;

        @Override
        public Integer call() {
            String[] kn = kindAndName(resource, name);
            ResourceKind kind = kind(kn[0]);
            Engine engine = root.engine();
            List<HasMetadata> targets = new ArrayList<>();
            if (kn[1] != null) {
                targets.add(engine.get(kind, namespace, kn[1]).orElseThrow(() -> new EngineException(404, kind.plural() + " \"" + kn[1] + "\" not found")));
            } else {
                targets.addAll(engine.list(kind, namespace, null));
            }
            String eventNamespace = kind.namespaced() ? namespace : "default";
            List<Event> events = engine.list(ResourceKind.EVENT, eventNamespace, null);
            for (HasMetadata t : targets) {
                List<Event> mine = events.stream().filter(e -> e.getInvolvedObject() != null && t.getMetadata().getName().equals(e.getInvolvedObject().getName())
                        && t.getKind().equals(e.getInvolvedObject().getKind())).toList();
                out().println(Describe.render(t, mine, JSON, Instant.now()));
            }
            return 0;
        }
    }

    @Command(name = "logs", description = {"Print a replica's logs (kubectl logs), or with --search the shipped logs of every replica "
            + "that match a query, from Elasticsearch.",
            "  berth logs order-service-7c9d-x2k4 -n berth --tail 20",
            "  berth logs --search 'trace.id:4bf92f3577b34da6a3ce929d0e0e4736'",
            "  berth logs --search 'log.level:ERROR AND service.name:payment-service' -n berth"})
    static final class Logs extends Base {
        @Parameters(index = "0", arity = "0..1", description = "pod name (or pod/name)")
        String pod;

        @Option(names = {"-n", "--namespace"}, description = "the pod's namespace (default: default); with --search, only this namespace")
        String namespace;

        @Option(names = {"-f", "--follow"})
        boolean follow;

        @Option(names = "--tail", description = "lines from the end (default all)")
        Integer tail;

        @Option(names = "--search", paramLabel = "QUERY", description = "a query string over the shipped logs (Lucene syntax: field:value, AND, OR, quotes)")
        String search;

        @Option(names = "--limit", defaultValue = "100", description = "with --search: at most this many lines, the newest (default: ${DEFAULT-VALUE})")
        int limit;

        @Override
        public Integer call() throws IOException {
            if (search != null) {
                if (pod != null || follow || tail != null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--search takes no pod, --follow or --tail");
                }
                LogLines.print(root.engine().searchLogs(search, namespace, limit), System.out);
                return 0;
            }
            if (pod == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "name a pod, or --search a query");
            }
            String name = pod.startsWith("pod/") ? pod.substring(4) : pod;
            try (InputStream in = root.engine().logs(namespace == null ? "default" : namespace, name, tail, follow)) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    System.out.write(buf, 0, n);
                    System.out.flush();
                }
            }
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete objects by type and name, or by file (kubectl delete).")
    static final class Delete extends Base {
        @Parameters(arity = "0..2")
        List<String> args = new ArrayList<>();

        @Option(names = {"-f", "--filename"})
        String file;

        @Option(names = {"-n", "--namespace"}, defaultValue = "default")
        String namespace;

        @Override
        public Integer call() throws IOException {
            Engine engine = root.engine();
            List<String[]> targets = new ArrayList<>();
            if (file != null) {
                Object parsed = JSON.unmarshal(new java.io.ByteArrayInputStream(Apply.read(file).getBytes(StandardCharsets.UTF_8)));
                List<?> objects = parsed instanceof List<?> l ? l : parsed instanceof KubernetesList kl ? kl.getItems() : List.of(parsed);
                for (Object o : objects) {
                    if (o instanceof HasMetadata h) {
                        targets.add(new String[] {h.getKind(), h.getMetadata().getNamespace() == null ? namespace : h.getMetadata().getNamespace(), h.getMetadata().getName()});
                    }
                }
            } else if (!args.isEmpty()) {
                String[] kn = kindAndName(args.get(0), args.size() > 1 ? args.get(1) : null);
                targets.add(new String[] {kn[0], namespace, kn[1]});
            } else {
                throw new CommandLine.ParameterException(spec.commandLine(), "error: name a TYPE NAME or -f FILE");
            }
            int failures = 0;
            for (String[] t : targets) {
                ResourceKind kind = kind(t[0]);
                if (engine.delete(kind, t[1], t[2])) {
                    out().println(kind.kind().toLowerCase(Locale.ROOT) + " \"" + t[2] + "\" deleted");
                } else {
                    spec.commandLine().getErr().println("Error from server (NotFound): " + kind.plural() + " \"" + t[2] + "\" not found");
                    failures++;
                }
            }
            return failures == 0 ? 0 : 1;
        }
    }

    @Command(name = "scale", description = "Set the replicas of a Deployment or StatefulSet (kubectl scale).")
    static final class Scale extends Base {
        @Parameters(index = "0", description = "deployment/NAME or statefulset/NAME")
        String target;

        @Parameters(index = "1", arity = "0..1")
        String name;

        @Option(names = "--replicas", required = true)
        int replicas;

        @Option(names = {"-n", "--namespace"}, defaultValue = "default")
        String namespace;

        @Override
        public Integer call() {
            String[] kn = kindAndName(target, name);
            ResourceKind kind = kind(kn[0]);
            root.engine().scale(kind, namespace, kn[1], replicas);
            out().println(kind.kind().toLowerCase(Locale.ROOT) + ".apps/" + kn[1] + " scaled");
            return 0;
        }
    }

    @Command(name = "nodes", description = "List virtual nodes, or cordon|uncordon|drain|fail|recover one.")
    static final class Nodes extends Base {
        @Parameters(index = "0", arity = "0..1", description = "cordon, uncordon, drain, fail or recover")
        String action;

        @Parameters(index = "1", arity = "0..1")
        String node;

        @Override
        public Integer call() {
            Engine engine = root.engine();
            if (action == null || action.equals("list")) {
                out().print(Tables.render(ResourceKind.NODE, engine.list(ResourceKind.NODE, null, null), true, false, Instant.now()));
                return 0;
            }
            if (node == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "error: name the node: berth nodes " + action + " NODE");
            }
            NodeAction a;
            try {
                a = NodeAction.valueOf(action.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "error: unknown action " + action + " (cordon, uncordon, drain, fail, recover)");
            }
            engine.node(node, a);
            out().println("node/" + node + " " + switch (a) {
                case CORDON -> "cordoned";
                case UNCORDON -> "uncordoned";
                case DRAIN -> "drained";
                case FAIL -> "failed (NotReady; its replicas were killed)";
                case RECOVER -> "recovered (Ready)";
            });
            return 0;
        }
    }
}
