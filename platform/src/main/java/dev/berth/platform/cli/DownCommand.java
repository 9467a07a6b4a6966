package dev.berth.platform.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code berth down}: stops the core, which stops every replica gracefully, then makes sure no replica process
 * outlived it (any found is reported and killed).
 */
@Command(name = "down", description = "Stop the core and every replica it runs.")
final class DownCommand implements Callable<Integer> {

    @ParentCommand
    BerthCli root;

    @Option(names = "--state", defaultValue = "${env:BERTH_STATE:-${sys:user.home}/.berth}", description = "Berth's state directory")
    Path state;

    @Override
    public Integer call() {
        CoreProcess core = new CoreProcess(state, root.server);
        if (core.stop(Duration.ofSeconds(60))) {
            System.out.println("core stopped (its replicas were stopped with it)");
        } else {
            System.out.println("no core running from " + state);
        }
        List<ProcessHandle> orphans = core.replicas();
        for (ProcessHandle h : orphans) {
            System.err.println("warning: replica process " + h.pid() + " outlived the core; killing it");
            h.destroyForcibly();
        }
        return orphans.isEmpty() ? 0 : 1;
    }
}
