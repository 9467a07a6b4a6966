package dev.berth.platform.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One element of a path built from a name the API accepted (a namespace, an object's or a pod's name): it must
 * stay one element below its root, whatever validated it upstream. Refused: empty, {@code .}, {@code ..}, a
 * {@code /}, a NUL, text that is not UTF-8 (two names would share one file), more than 255 bytes (Linux's
 * NAME_MAX). Stateless.
 */
public final class PathSegment {

    /** Longest file name Linux file systems take, in bytes. */
    public static final int MAX_BYTES = 255;

    private PathSegment() {}

    /**
     * {@code root/element}, refused (StoreException INVALID naming {@code field}) unless {@code element} is one
     * safe path element.
     */
    public static Path resolve(Path root, String field, String element) {
        String why = problem(element);
        if (why != null) {
            throw new StoreException(StoreException.Reason.INVALID, null, field,
                    field + " '" + printable(element) + "' cannot be a file name: " + why);
        }
        return root.resolve(element);
    }

    /** Why {@code element} is not one safe path element, null if it is. */
    static String problem(String element) {
        if (element == null || element.isEmpty()) {
            return "it is empty";
        }
        if (element.equals(".") || element.equals("..")) {
            return "it is a relative path element";
        }
        if (element.indexOf('/') >= 0) {
            return "it contains '/'";
        }
        if (element.indexOf('\0') >= 0) {
            return "it contains NUL";
        }
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(element)) {
            return "it is not valid Unicode";
        }
        int bytes = element.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            return "the file name would be " + bytes + " bytes, over the limit of " + MAX_BYTES;
        }
        return null;
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        String shown = s.replace("\0", "\\0");
        return shown.length() > 64 ? shown.substring(0, 64) + "…" : shown;
    }
}
