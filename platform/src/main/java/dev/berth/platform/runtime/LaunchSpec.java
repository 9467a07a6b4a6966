package dev.berth.platform.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to start one container as an OS process: the command line, a complete environment (the
 * core's own environment is never inherited), the working directory, the log file and the user it runs as
 * (null: the core's own user).
 */
public record LaunchSpec(List<String> command, Map<String, String> env, Path workingDir, Path logFile, RunAs runAs) {

    /** A process that runs as the core's own user. */
    public LaunchSpec(List<String> command, Map<String, String> env, Path workingDir, Path logFile) {
        this(command, env, workingDir, logFile, null);
    }

    /** The same launch writing its output to {@code file}. */
    public LaunchSpec withLogFile(Path file) {
        return new LaunchSpec(command, env, workingDir, file, runAs);
    }
}
