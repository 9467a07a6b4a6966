package dev.berth.platform.cli;

import dev.berth.platform.runtime.ReplicaLedger;
import dev.berth.platform.runtime.ReplicaProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code berth down}: stops the core, which stops every replica gracefully, then makes sure no replica process
 * outlived it: any process in the core's {@link ReplicaLedger} that is still the process the core started is reported
 * and killed with its descendants. Nothing else is touched, whatever its command line mentions.
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
        List<ReplicaProcess> orphans = new ReplicaLedger(state.resolve("core")).survivors();
        for (ReplicaProcess replica : orphans) {
            System.err.println("warning: replica process " + replica.pid() + " outlived the core; killing it");
            replica.kill();
        }
        return orphans.isEmpty() ? 0 : 1;
    }
}
