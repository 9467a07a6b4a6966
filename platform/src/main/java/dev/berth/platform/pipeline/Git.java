package dev.berth.platform.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The commit a run built, for its report. */
record Git(String commit, boolean dirty) {

    /** @return null outside a git work tree */
    static Git describe(Path root) {
        try {
            String commit = run(root, "rev-parse", "HEAD");
            String status = run(root, "status", "--porcelain", "--untracked-files=no");
            return commit == null ? null : new Git(commit.strip(), status != null && !status.isBlank());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String run(Path root, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 3];
        command[0] = "git";
        command[1] = "-C";
        command[2] = root.toString();
        System.arraycopy(args, 0, command, 3, args.length);
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.waitFor() == 0 ? out : null;
    }
}
