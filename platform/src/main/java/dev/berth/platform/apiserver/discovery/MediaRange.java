package dev.berth.platform.apiserver.discovery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One clause of an HTTP {@code Accept} header ({@code application/json;g=apidiscovery.k8s.io;v=v2;as=...}),
 * parsed as kube-apiserver's negotiation does with goautoneg: clauses ordered by descending {@code q}, ties in
 * the order the client wrote them; type, subtype and parameter names are case-insensitive.
 *
 * @param params the parameters other than {@code q}, names in lower case
 */
public record MediaRange(String type, String subtype, Map<String, String> params, double q) {

    private static final Comparator<MediaRange> PREFERENCE = Comparator.comparingDouble(MediaRange::q).reversed();

    public MediaRange {
        params = Map.copyOf(params);
    }

    /**
     * Parses a header into clauses, most preferred first. An empty or missing header accepts anything
     * ({@code *}{@code /*}); malformed clauses (no slash) are dropped, as goautoneg drops them.
     */
    public static List<MediaRange> parse(String header) {
        if (header == null || header.isBlank()) {
            return List.of(new MediaRange("*", "*", Map.of(), 1.0));
        }
        List<MediaRange> ranges = new ArrayList<>();
        for (String clause : header.split(",")) {
            String[] parts = clause.split(";");
            String[] typeAndSubtype = parts[0].trim().toLowerCase(Locale.ROOT).split("/", -1);
            if (typeAndSubtype.length != 2 || typeAndSubtype[0].isEmpty() || typeAndSubtype[1].isEmpty()) {
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            double q = 1.0;
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                String name = kv[0].trim().toLowerCase(Locale.ROOT);
                String value = kv.length == 2 ? kv[1].trim() : "";
                if (name.equals("q")) {
                    q = quality(value);
                } else if (!name.isEmpty()) {
                    params.put(name, value);
                }
            }
            ranges.add(new MediaRange(typeAndSubtype[0], typeAndSubtype[1], params, q));
        }
        ranges.sort(PREFERENCE);
        return ranges;
    }

    private static double quality(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            // goautoneg treats an unparsable q as 0: the clause stays but loses to every other
            return 0;
        }
    }

    /** Whether this clause admits {@code type/subtype}: equal, or a wildcard at either level. */
    public boolean admits(String wantedType, String wantedSubtype) {
        return (type.equals("*") || type.equals(wantedType)) && (subtype.equals("*") || subtype.equals(wantedSubtype));
    }
}
