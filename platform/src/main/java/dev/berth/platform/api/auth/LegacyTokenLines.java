package dev.berth.platform.api.auth;

import dev.berth.platform.api.auth.TokenFile.Principal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The core's former token file format, {@code <token> <role> [name]} with {@code #} comments, converted to
 * kube-apiserver's so that an existing state directory keeps working: each token becomes the user {@code name} (the
 * role's name when absent, also the uid) in the role's {@link Role#group()}. Lines the former format ignored (a token
 * shorter than {@link TokenFile#MIN_TOKEN_LENGTH}) are dropped with a logged reason, so no token gains access by the
 * conversion. Pure apart from logging.
 */
final class LegacyTokenLines {

    private static final Logger LOG = Logger.getLogger(LegacyTokenLines.class);
    private static final Pattern LINE = Pattern.compile("(\\S+)\\s+(discovery|viewer|deployer|admin)(?:\\s+(\\S+))?", Pattern.CASE_INSENSITIVE);

    private LegacyTokenLines() {}

    /** Whether every line is blank, a {@code #} comment or {@code <token> <role> [name]}, and at least one is the latter. */
    static boolean isLegacy(List<String> lines) {
        boolean any = false;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.indexOf(',') >= 0 || !LINE.matcher(line).matches()) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /** The same tokens as kube-apiserver token file records. */
    static List<String> convert(List<String> lines, Path file) {
        List<String> converted = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = LINE.matcher(lines.get(i).strip());
            if (!m.matches()) {
                continue;
            }
            String token = m.group(1);
            if (token.length() < TokenFile.MIN_TOKEN_LENGTH) {
                LOG.warnf("%s line %d dropped in the conversion: the token has %d characters, at least %d are required", file, i + 1,
                        token.length(), TokenFile.MIN_TOKEN_LENGTH);
                continue;
            }
            Role role = Role.parse(m.group(2)).orElseThrow();
            String name = m.group(3) != null ? m.group(3) : role.name().toLowerCase(Locale.ROOT);
            converted.add(TokenLines.format(token, new Principal(name, name, role.groups())));
        }
        return converted;
    }
}
