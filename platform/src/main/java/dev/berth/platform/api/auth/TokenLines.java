package dev.berth.platform.api.auth;

import dev.berth.platform.api.auth.TokenFile.Principal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * kube-apiserver's token file format, read as its {@code tokenfile.NewCSV} reads it (Go's CSV reader, leading space
 * trimmed, any number of fields): {@code token,user,uid} and optionally a fourth column of comma-separated groups
 * (quoted when there are several); columns after the fourth are ignored. A record with fewer than three columns makes
 * the whole file invalid; a record with an empty token is skipped; of two records with one token the later wins (both
 * logged). Blank lines are skipped. Pure apart from logging; thread-safe.
 */
final class TokenLines {

    private static final Logger LOG = Logger.getLogger(TokenLines.class);

    private TokenLines() {}

    /**
     * @throws IllegalArgumentException naming the record when the file is not a token file
     */
    static Map<String, Principal> parse(List<String> lines, Path file) {
        Map<String, Principal> tokens = new LinkedHashMap<>();
        int recordNumber = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isEmpty()) {
                continue;
            }
            List<String> record = fields(lines.get(i), file, i + 1);
            if (record.size() < 3) {
                throw new IllegalArgumentException("token file '" + file + "' must have at least 3 columns (token, user name, user uid), found "
                        + record.size());
            }
            recordNumber++;
            if (record.get(0).isEmpty()) {
                LOG.warnf("empty token has been found in token file '%s', record number '%d'", file, recordNumber);
                continue;
            }
            if (tokens.containsKey(record.get(0))) {
                LOG.warnf("duplicate token has been found in token file '%s', record number '%d'", file, recordNumber);
            }
            List<String> groups = record.size() >= 4 ? Arrays.asList(record.get(3).split(",", -1)) : List.of();
            tokens.put(record.get(0), new Principal(record.get(1), record.get(2), groups));
        }
        return Map.copyOf(tokens);
    }

    /** One line as Go's CSV reader splits it with {@code TrimLeadingSpace}: quoted fields may hold commas and {@code ""}. */
    static List<String> fields(String line, Path file, int lineNumber) {
        List<String> fields = new ArrayList<>();
        int i = 0;
        while (true) {
            while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            StringBuilder field = new StringBuilder();
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) {
                        throw new IllegalArgumentException(file + " line " + lineNumber + ": extraneous or missing \" in quoted-field");
                    }
                    char c = line.charAt(i++);
                    if (c != '"') {
                        field.append(c);
                    } else if (i < line.length() && line.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        break;
                    }
                }
                if (i < line.length() && line.charAt(i) != ',') {
                    throw new IllegalArgumentException(file + " line " + lineNumber + ": extraneous or missing \" in quoted-field");
                }
            } else {
                while (i < line.length() && line.charAt(i) != ',') {
                    char c = line.charAt(i++);
                    if (c == '"') {
                        throw new IllegalArgumentException(file + " line " + lineNumber + ": bare \" in non-quoted-field");
                    }
                    field.append(c);
                }
            }
            fields.add(field.toString());
            if (i >= line.length()) {
                return fields;
            }
            i++; // the comma
        }
    }

    /** A record of {@code principal} with {@code token}; the groups column quoted, as kube-apiserver's documentation writes it. */
    static String format(String token, Principal principal) {
        String line = quoted(token, false) + "," + quoted(principal.name(), false) + "," + quoted(principal.uid(), false);
        return principal.groups().isEmpty() ? line : line + "," + quoted(String.join(",", principal.groups()), true);
    }

    private static String quoted(String field, boolean always) {
        if (!always && field.indexOf(',') < 0 && field.indexOf('"') < 0 && !field.startsWith(" ")) {
            return field;
        }
        return "\"" + field.replace("\"", "\"\"") + "\"";
    }

    /** Whether {@code line} is a record of {@code user} (unreadable lines are no one's). */
    static boolean isOf(String line, String user) {
        try {
            List<String> record = fields(line, Path.of(""), 0);
            return record.size() >= 3 && record.get(1).equals(user);
        } catch (IllegalArgumentException e) {
            return false; // kept as it is: the parse of the whole file reports it
        }
    }
}
