package dev.berth.platform.pipeline;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What a build's sources are, as one SHA-256, from git: the index's blob ids of the tracked files under the given
 * paths, the working tree's uncommitted changes to them, and the contents of untracked (not ignored) files there.
 * Two equal fingerprints mean the same sources; a commit that touches none of the paths leaves it as it was.
 */
final class SourceFingerprint {

    private SourceFingerprint() {}

    /** @return the fingerprint, or null when {@code root} is not a git work tree (then nothing can be skipped) */
    static String of(Path root, List<String> paths) throws IOException, InterruptedException {
        MessageDigest sha = sha256();
        byte[] tracked = git(root, paths, "ls-files", "-s", "-z");
        if (tracked == null) {
            return null;
        }
        sha.update(tracked);
        byte[] changed = git(root, paths, "diff", "--no-ext-diff", "--binary", "HEAD");
        if (changed == null) {
            return null;
        }
        sha.update(changed);
        byte[] untracked = git(root, paths, "ls-files", "-o", "--exclude-standard", "-z");
        if (untracked == null) {
            return null;
        }
        for (String file : new String(untracked, StandardCharsets.UTF_8).split("\0")) {
            if (!file.isEmpty() && Files.isRegularFile(root.resolve(file))) {
                sha.update(file.getBytes(StandardCharsets.UTF_8));
                sha.update(sha256().digest(Files.readAllBytes(root.resolve(file))));
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static byte[] git(Path root, List<String> paths, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
        command.addAll(List.of(args));
        command.add("--");
        command.addAll(paths);
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return null; // no git on this machine
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        return p.waitFor() == 0 ? out.toByteArray() : null;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
