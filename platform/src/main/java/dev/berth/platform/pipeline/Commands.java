package dev.berth.platform.pipeline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** Runs a command for a step: output into the stage's log line by line, the latest line as progress. */
final class Commands {

    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");

    private Commands() {}

    /**
     * @return the exit code
     * @throws InterruptedException when the stage is cancelled (timeout): the command and everything it started are
     *                              stopped (SIGTERM, then SIGKILL after 5 s) before this returns
     */
    static int run(List<String> command, Path dir, Map<String, String> env, PrintStream log, Consumer<String> status)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    log.println(line);
                    String plain = ANSI.matcher(line).replaceAll("").strip();
                    if (!plain.isEmpty()) {
                        status.accept(plain);
                    }
                }
            } catch (IOException e) {
                log.println("[berth] reading the command's output failed: " + e);
            }
        }, "pipeline-output");
        pump.setDaemon(true);
        pump.start();
        try {
            int code = p.waitFor();
            pump.join(5_000);
            return code;
        } catch (InterruptedException e) {
            stopTree(p);
            pump.join(2_000);
            throw e;
        }
    }

    /** SIGTERM to the command and every descendant, SIGKILL to whatever has not exited 5 s later. */
    static void stopTree(Process p) {
        List<ProcessHandle> all = new java.util.ArrayList<>(p.descendants().toList());
        all.add(p.toHandle());
        all.forEach(ProcessHandle::destroy);
        try {
            java.util.concurrent.CompletableFuture.allOf(all.stream().map(ProcessHandle::onExit).toArray(java.util.concurrent.CompletableFuture[]::new))
                    .get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // some did not exit: killed below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
