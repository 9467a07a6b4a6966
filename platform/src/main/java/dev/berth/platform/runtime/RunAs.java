package dev.berth.platform.runtime;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The user a container runs as, decided as kubelet decides it: {@code securityContext.runAsUser} (container, then
 * pod), else the image's {@code User}; the group from {@code runAsGroup}, else the image's, else the uid itself (no
 * host group). With {@code runAsNonRoot: true} a uid of 0 or a user name that cannot be verified refuses the
 * container ({@code CreateContainerConfigError}, kubelet's messages). An image without a user runs as the core's
 * own user, so that is what {@code runAsNonRoot} is checked against.
 * <p>
 * A core running as root starts the replica through {@code setpriv --reuid --regid --clear-groups}; a core running as
 * anyone else cannot switch users, and the replica runs as the core's user ({@link #notApplied}).
 */
public record RunAs(long uid, long gid) {

    private static final long MAX_UID = Integer.MAX_VALUE;

    /**
     * @param imageUser the image configuration's {@code User}: empty, {@code uid}, {@code uid:gid}, or names
     * @param imageRoot the unpacked image, whose {@code etc/passwd} and {@code etc/group} give a name's ids
     * @param coreUid   the uid the core itself runs as
     * @throws ContainerLaunchException {@code CreateContainerConfigError} when {@code runAsNonRoot} cannot hold
     */
    public static RunAs resolve(Pod pod, Container c, String imageUser, Path imageRoot, long coreUid) throws ContainerLaunchException {
        SecurityContext sc = c.getSecurityContext();
        PodSecurityContext psc = pod.getSpec().getSecurityContext();
        Long runAsUser = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser() : psc == null ? null : psc.getRunAsUser();
        Long runAsGroup = sc != null && sc.getRunAsGroup() != null ? sc.getRunAsGroup() : psc == null ? null : psc.getRunAsGroup();
        Boolean nonRoot = sc != null && sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : psc == null ? null : psc.getRunAsNonRoot();
        String where = " (pod: \"" + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + pod.getMetadata().getUid()
                + ")\", container: " + c.getName() + ")";
        String[] image = imageUser == null || imageUser.isBlank() ? new String[0] : imageUser.strip().split(":", 2);
        Long imageUid = image.length == 0 ? null : number(image[0]);
        Long imageGid = image.length < 2 ? null : number(image[1]);
        if (image.length == 2 && imageGid == null) {
            imageGid = lookup(imageRoot.resolve("etc/group"), image[1], 2)
                    .orElseThrow(() -> refused("unable to find group " + image[1] + ": no matching entries in group file" + where));
        }
        boolean enforce = Boolean.TRUE.equals(nonRoot);
        long uid;
        if (runAsUser != null) {
            if (enforce && runAsUser == 0) {
                throw refused("container's runAsUser breaks non-root policy" + where);
            }
            uid = runAsUser;
        } else if (image.length > 0 && imageUid == null) {
            if (enforce) {
                throw refused("container has runAsNonRoot and image has non-numeric user (" + image[0] + "), cannot verify user is non-root" + where);
            }
            uid = lookup(imageRoot.resolve("etc/passwd"), image[0], 2)
                    .orElseThrow(() -> refused("unable to find user " + image[0] + ": no matching entries in passwd file" + where));
            if (imageGid == null) {
                imageGid = lookup(imageRoot.resolve("etc/passwd"), image[0], 3).orElse(null);
            }
        } else {
            uid = imageUid != null ? imageUid : coreUid;
            if (enforce && uid == 0) {
                throw refused("container has runAsNonRoot and image will run as root" + where);
            }
        }
        if (uid < 0 || uid > MAX_UID) {
            throw refused("user id " + uid + " is not a valid uid (0 to " + MAX_UID + ")" + where);
        }
        long gid = runAsGroup != null ? runAsGroup : imageGid != null ? imageGid : uid;
        if (gid < 0 || gid > MAX_UID) {
            throw refused("group id " + gid + " is not a valid gid (0 to " + MAX_UID + ")" + where);
        }
        return new RunAs(uid, gid);
    }

    /** Field {@code field} (a number) of the line of {@code file} (passwd/group format) whose first field is {@code name}. */
    private static Optional<Long> lookup(Path file, String name, int field) {
        if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try (var lines = Files.lines(file)) {
            return lines.map(l -> l.split(":", -1)).filter(f -> f.length > field && f[0].equals(name))
                    .map(f -> number(f[field])).filter(java.util.Objects::nonNull).findFirst();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static Long number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    private static ContainerLaunchException refused(String message) {
        return new ContainerLaunchException("CreateContainerConfigError", message);
    }

    /** The uid of this process (the owner of {@code /proc/self}). */
    public static long coreUid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read this process's uid from /proc/self", e);
        }
    }

    /** Whether the core must and can switch to this user (it runs as root, the replica as someone else). */
    boolean switchesFrom(long coreUid) {
        return coreUid == 0 && (uid != 0 || gid != 0);
    }

    /** {@code command} run as this user: through {@code setpriv} when the core is root, unchanged otherwise. */
    List<String> command(List<String> command, long coreUid) {
        if (!switchesFrom(coreUid)) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Why the replica does not run as this user, when the core cannot switch to it (it is not root). */
    public Optional<String> notApplied(long coreUid) {
        if (coreUid == 0 || coreUid == uid) {
            return Optional.empty();
        }
        return Optional.of("the core runs as uid " + coreUid + " and cannot switch users: the container runs as uid " + coreUid + ", not " + uid);
    }

    /** For the Started event: {@code " as uid N, gid G"} when the replica runs as its own user, else nothing. */
    static String startedAs(RunAs user) {
        return user == null || user.notApplied(coreUid()).isPresent() ? "" : " as uid " + user.uid() + ", gid " + user.gid();
    }

    /** Makes {@code dir} and everything under it this user's (the replica's own files: tmp, emptyDirs), when the core switches to it. */
    void own(Path dir, long coreUid) throws IOException {
        if (!switchesFrom(coreUid) || !Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                Files.setAttribute(p, "unix:uid", (int) uid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", (int) gid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    /**
     * Lets the replica reach {@code path} (its image's root, its pod directory): every ancestor gets search permission
     * for others (x, not r), as it must for any user but root to open a file below it.
     */
    void reach(Path path, long coreUid) throws IOException {
        if (!switchesFrom(coreUid)) {
            return;
        }
        for (Path p = path.toAbsolutePath(); p != null; p = p.getParent()) {
            var perms = Files.getPosixFilePermissions(p);
            if (!perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
                Files.setPosixFilePermissions(p, perms);
            }
        }
    }
}
