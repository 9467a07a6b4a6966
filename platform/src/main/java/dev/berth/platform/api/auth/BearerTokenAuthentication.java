package dev.berth.platform.api.auth;

import dev.berth.platform.apiserver.Caller;
import dev.berth.platform.apiserver.rbac.EndpointRoles;
import dev.berth.platform.apiserver.rbac.RbacAuthorizer;
import dev.berth.platform.apiserver.rbac.StoreRbacObjects;
import dev.berth.platform.store.ObjectStore;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * {@code Authorization: Bearer <token>} against the {@link TokenFile}, the Quarkus Security way: the mechanism
 * extracts the credential, the identity provider turns it into an identity holding the {@link Role}s RBAC grants the
 * token's user ({@code EndpointRoles}), and resources say what they need with {@code @RolesAllowed}. No header → anonymous (401 where a
 * role is required); an unknown token → 401; a known token without the role → 403.
 */
public final class BearerTokenAuthentication {

    private BearerTokenAuthentication() {}

    @ApplicationScoped
    public static class Mechanism implements HttpAuthenticationMechanism {

        @Override
        public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
            String header = context.request().getHeader("Authorization");
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Uni.createFrom().optional(java.util.Optional.empty());
            }
            String token = header.substring(7).strip();
            return identities.authenticate(new TokenAuthenticationRequest(new TokenCredential(token, "bearer")));
        }

        @Override
        public Uni<ChallengeData> getChallenge(RoutingContext context) {
            return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"berth\""));
        }

        @Override
        public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
            return Set.of(TokenAuthenticationRequest.class);
        }
    }

    @ApplicationScoped
    public static class Provider implements IdentityProvider<TokenAuthenticationRequest> {

        private final TokenFile tokens;
        private final EndpointRoles roles;

        public Provider(TokenFile tokens, ObjectStore store) {
            this.tokens = tokens;
            this.roles = new EndpointRoles(new RbacAuthorizer(new StoreRbacObjects(store)));
        }

        @Override
        public Class<TokenAuthenticationRequest> getRequestType() {
            return TokenAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
            return context.runBlocking(() -> tokens.lookup(request.getToken().getToken())
                    .<SecurityIdentity>map(p -> QuarkusSecurityIdentity.builder()
                            .setPrincipal(new QuarkusPrincipal(p.name()))
                            .addRoles(roles.of(Caller.authenticated(p.name(), p.uid(), p.groups())))
                            .build())
                    .orElseThrow(() -> new AuthenticationFailedException("unknown bearer token")));
        }
    }
}
