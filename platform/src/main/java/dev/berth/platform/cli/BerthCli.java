package dev.berth.platform.cli;

import dev.berth.platform.engine.Engine;
import dev.berth.platform.engine.EngineException;
import dev.berth.platform.engine.KubernetesEngine;
import dev.berth.platform.engine.NodeAction;
import dev.berth.support.problem.Problem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth}: what kubectl has no verb for — start and stop the core, run the pipeline, search the shipped logs,
 * fail and recover a node, follow a rollout and roll it back on a cluster. Talks to the core through the Kubernetes API
 * (fabric8's client) with the token {@code berth up} wrote, or to a cluster; exit code 0 on success, 1 when the server
 * refused, 2 on bad usage. Everything Kubernetes has a verb for is kubectl's.
 */
@Command(name = "berth", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "berth 0.1.0",
        description = "Runs and operates Berth: a small Kubernetes on this machine for Quarkus services.",
        subcommands = {UpCommand.class, DownCommand.class, PipelineCommand.class, BerthCli.Logs.class, BerthCli.Nodes.class, RolloutCommand.class})
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

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What kubectl does and berth no longer does (berth 0.1 had these): {@code berth get …} is told to use kubectl. */
    static final Set<String> KUBECTL_VERBS = Set.of("get", "describe", "apply", "create", "delete", "edit", "scale", "set", "label",
            "annotate", "patch", "cordon", "uncordon", "drain", "rollout history", "rollout undo", "rollout pause", "rollout resume",
            "rollout restart");

    public static void main(String[] args) {
        CommandLine cli = commandLine();
        if (System.getenv("BERTH_CHECK_ARGS") != null) {
            // the launcher's check before `up` builds and starts anything: parse and convert the arguments, run nothing
            // (a usage error is still answered by the handler below, exit 2); --help and --version are answered here,
            // and HELP_SHOWN tells the launcher that was all
            cli.setExecutionStrategy(parsed -> CommandLine.executeHelpRequest(parsed) != null ? HELP_SHOWN : CommandLine.ExitCode.OK);
        }
        int code = cli.execute(args);
        cli.getOut().flush();
        cli.getErr().flush();
        HttpSelectorThreads.end(Duration.ofMillis(500)); // else the JVM's exit waits 300 ms for them (see there)
        System.exit(code);
    }

    /** The exit code of a {@code BERTH_CHECK_ARGS} run that printed the usage or version asked for (the launcher then stops, 0). */
    static final int HELP_SHOWN = 3;

    /** The command line with Berth's handlers: a server's refusal is exit 1 with its reasons; a kubectl verb is pointed to kubectl. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new BerthCli());
        CommandLine.IParameterExceptionHandler usage = cli.getParameterExceptionHandler();
        cli.setParameterExceptionHandler((ex, args) -> {
            if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
                String path = ex.getCommandLine().getCommandSpec().qualifiedName(" ");
                String verb = (path + " " + u.getUnmatched().get(0)).substring("berth ".length());
                if (KUBECTL_VERBS.contains(verb)) {
                    ex.getCommandLine().getErr().println("error: 'berth " + verb + "' is kubectl's: kubectl --context berth " + verb
                            + " … (berth keeps only what kubectl has no verb for; see berth --help)");
                    return CommandLine.ExitCode.USAGE;
                }
            }
            return usage.handleParseException(ex, args);
        });
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
        return cli;
    }

    /**
     * The engine every command talks to, through the Kubernetes API either way: the core on this machine (with the
     * token {@code berth up} wrote), or a Kubernetes cluster.
     */
    Engine engine() {
        return switch (engineName) {
            case "local" -> KubernetesEngine.local(server, token());
            case "kubernetes" -> KubernetesEngine.connect(context);
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "error: --engine must be local or kubernetes, not \"" + engineName + "\"");
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

    @Command(name = "logs", description = {"Search the shipped logs of every replica, from Elasticsearch (a pod's own log is "
            + "kubectl's: kubectl --context berth logs POD).",
            "  berth logs --search 'trace.id:4bf92f3577b34da6a3ce929d0e0e4736'",
            "  berth logs --search 'log.level:ERROR AND service.name:payment-service' -n berth"})
    static final class Logs extends Base {
        @Option(names = "--search", paramLabel = "QUERY", required = true,
                description = "a query string over the shipped logs (Lucene syntax: field:value, AND, OR, quotes)")
        String search;

        @Option(names = {"-n", "--namespace"}, description = "only this namespace (default: every namespace)")
        String namespace;

        @Option(names = "--limit", defaultValue = "100", description = "at most this many lines, the newest (default: ${DEFAULT-VALUE})")
        int limit;

        @Override
        public Integer call() {
            LogLines.print(root.engine().searchLogs(search, namespace, limit), System.out);
            return 0;
        }
    }

    @Command(name = "nodes", description = {"Fail or recover a virtual node of the local engine (a machine that dies and comes back); "
            + "cordon, uncordon and drain are kubectl's own.", "  berth nodes fail node-2", "  berth nodes recover node-2"})
    static final class Nodes extends Base {
        @Parameters(index = "0", description = "fail or recover")
        String action;

        @Parameters(index = "1", description = "the node")
        String node;

        @Override
        public Integer call() {
            NodeAction a = switch (action) {
                case "fail" -> NodeAction.FAIL;
                case "recover" -> NodeAction.RECOVER;
                default -> throw new CommandLine.ParameterException(spec.commandLine(), "error: unknown action " + action
                        + " (fail, recover; cordon, uncordon and drain: kubectl " + action + " " + node + ")");
            };
            root.engine().node(node, a);
            out().println("node/" + node + (a == NodeAction.FAIL ? " failed (NotReady; its replicas were killed)" : " recovered (Ready)"));
            return 0;
        }
    }
}
