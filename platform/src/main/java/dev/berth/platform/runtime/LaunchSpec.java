package dev.berth.platform.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to start one container as an OS process: the command line, a complete environment (the
 * core's own environment is never inherited), the working directory and the log file.
 */
public record LaunchSpec(List<String> command, Map<String, String> env, Path workingDir, Path logFile) {}
