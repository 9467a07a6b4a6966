package dev.berth.platform.model;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The name formats Kubernetes validates object names and namespaces with, with apimachinery's own messages
 * ({@code staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go}). Pure; thread-safe.
 */
public enum NameFormat {
    /** Namespaces, container names: {@code IsDNS1123Label}. */
    DNS1123_LABEL(63, "[a-z0-9]([-a-z0-9]*[a-z0-9])?",
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"),
    /** Most object names: {@code IsDNS1123Subdomain}. */
    DNS1123_SUBDOMAIN(253, "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*",
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"),
    /** Service names: {@code IsDNS1035Label} (they become DNS names that must start with a letter). */
    DNS1035_LABEL(63, "[a-z]([-a-z0-9]*[a-z0-9])?",
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"),
    /**
     * RBAC object names ({@code system:masters}): {@code path.IsValidPathSegmentName} — anything but {@code .}, {@code ..},
     * a {@code /} or a {@code %}; at most 253 characters here so that the store's file names stay bounded.
     */
    PATH_SEGMENT(253, "(?!\\.{1,2}$)[^/%]+", "may not be '.' or '..' and may not contain '/' or '%'");

    private final int maxLength;
    private final Pattern pattern;
    private final String message;

    NameFormat(int maxLength, String regex, String message) {
        this.maxLength = maxLength;
        this.pattern = Pattern.compile(regex);
        this.message = message;
    }

    public int maxLength() {
        return maxLength;
    }

    /** What is wrong with {@code value}, in Kubernetes' words; empty when it is a valid name of this format. */
    public Optional<String> problem(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of("must be non-empty");
        }
        // length first: the regex never runs on an unbounded string
        if (value.length() > maxLength) {
            return Optional.of("must be no more than " + maxLength + " characters");
        }
        return pattern.matcher(value).matches() ? Optional.empty() : Optional.of(message);
    }

    public boolean matches(String value) {
        return problem(value).isEmpty();
    }
}
