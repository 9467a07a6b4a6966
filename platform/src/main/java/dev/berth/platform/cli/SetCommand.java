package dev.berth.platform.cli;

import dev.berth.platform.engine.Engine;
import dev.berth.platform.engine.EngineException;
import dev.berth.platform.model.ResourceKind;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth set image deployment/NAME CONTAINER=IMAGE …} (kubectl set image). */
@Command(name = "set", description = "Set fields of objects (kubectl set).", subcommands = SetCommand.Image.class)
final class SetCommand {

    @CommandLine.ParentCommand
    BerthCli root;

    @Command(name = "image", description = "Change container images of a Deployment: a new revision rolls out.")
    static final class Image implements Callable<Integer> {
        @CommandLine.ParentCommand
        SetCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", description = "deployment/NAME")
        String target;

        @Parameters(index = "1..*", arity = "1..*", description = "CONTAINER=IMAGE, one or more")
        List<String> images;

        @CommandLine.Option(names = {"-n", "--namespace"}, defaultValue = "default")
        String namespace;

        @Override
        public Integer call() {
            String[] kn = BerthCli.kindAndName(target, null);
            if (kn[1] == null || BerthCli.kind(kn[0]) != ResourceKind.DEPLOYMENT) {
                throw new CommandLine.ParameterException(spec.commandLine(), "error: name a deployment: deployment/NAME");
            }
            Map<String, String> wanted = new LinkedHashMap<>();
            for (String pair : images) {
                int eq = pair.indexOf('=');
                if (eq <= 0 || eq == pair.length() - 1) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "error: expected CONTAINER=IMAGE, got \"" + pair + "\"");
                }
                wanted.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            Engine engine = parent.root.engine();
            // read, change, write with the read resourceVersion; a concurrent change (409) is read again
            for (int attempt = 1; ; attempt++) {
                Deployment d = engine.<Deployment>get(ResourceKind.DEPLOYMENT, namespace, kn[1])
                        .orElseThrow(() -> new EngineException(404, "deployments.apps \"" + kn[1] + "\" not found"));
                List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
                for (String name : wanted.keySet()) {
                    if (containers.stream().noneMatch(c -> c.getName().equals(name))) {
                        spec.commandLine().getErr().println("error: unable to find container named \"" + name + "\"");
                        return 1;
                    }
                }
                containers.forEach(c -> c.setImage(wanted.getOrDefault(c.getName(), c.getImage())));
                try {
                    engine.update(d);
                    break;
                } catch (EngineException e) {
                    if (e.status() != 409 || attempt == 3) {
                        throw e;
                    }
                }
            }
            spec.commandLine().getOut().println("deployment.apps/" + kn[1] + " image updated");
            return 0;
        }
    }
}
