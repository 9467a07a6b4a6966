package dev.berth.platform.api;

/** The tokens {@link CoreApiProfile} writes, one per role (each at least 32 characters) and one too short. */
public final class CoreApiTokens {

    public static final String ADMIN = "admin-token-0123456789abcdef-0123456789";
    public static final String DEPLOYER = "deployer-token-0123456789abcdef-01234567";
    public static final String VIEWER = "viewer-token-0123456789abcdef-0123456789";
    public static final String OTHER_VIEWER = "other-viewer-token-0123456789abcdef-0123";
    public static final String DISCOVERY = "discovery-token-0123456789abcdef-0123456";
    /** 16 characters: refused, tokens need 32 */
    public static final String SHORT_ADMIN = "short-admin-0123";

    private CoreApiTokens() {}

    public static String of(String role) {
        return switch (role) {
            case "admin" -> ADMIN;
            case "deployer" -> DEPLOYER;
            case "viewer" -> VIEWER;
            case "discovery" -> DISCOVERY;
            default -> throw new IllegalArgumentException(role);
        };
    }
}
