package io.strata.registry.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.oci.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /token?service=S&scope=repository:NAME:pull,push...}: Docker's token endpoint. The user
 * is who the Basic header proves (anonymous without one); each requested scope is granted the
 * actions the ACL gives that user on that repository, and nothing else; wrong credentials are 401.
 */
final class TokenEndpoint {
  private final Access access;
  private final TokenIssuer issuer;

  TokenEndpoint(Access access, TokenIssuer issuer) {
    this.access = access;
    this.issuer = issuer;
  }

  void handle(Exchange x) throws IOException {
    String auth = x.header("Authorization");
    String user = null;
    if (auth != null && !auth.isBlank()) {
      Optional<String> u = access.basicUser(auth);
      if (u.isEmpty()) {
        x.set("WWW-Authenticate", "Basic realm=\"strata registry token\"");
        throw new RegistryError(RegistryError.Code.UNAUTHORIZED, "incorrect username or password");
      }
      user = u.get();
      x.user = user;
    }
    List<TokenIssuer.Grant> grants = new ArrayList<>();
    List<String> scopes = x.queryValues("scope"); // none at all for a login (docker/podman login): a token for no scope
    for (String scope : scopes) {
      for (String one : scope.split(" ")) {
        String[] parts = one.split(":");
        if (parts.length < 3) continue;
        String type = parts[0];
        String name = String.join(":", Arrays.copyOfRange(parts, 1, parts.length - 1));
        Set<String> want = new TreeSet<>(Arrays.asList(parts[parts.length - 1].split(",")));
        if (type.equals("repository")) {
          try {
            RepositoryName.check(name);
          } catch (RegistryError e) {
            continue;
          }
          Set<String> granted = access.grant(user, name, want);
          if (!granted.isEmpty()) grants.add(new TokenIssuer.Grant(type, name, granted));
        } else if (type.equals("registry") && name.equals("catalog")) {
          Set<String> granted = access.grant(user, null, Set.of("pull"));
          if (!granted.isEmpty()) grants.add(new TokenIssuer.Grant("registry", "catalog", Set.of("*")));
        }
      }
    }
    String token = issuer.issue(user, grants);
    ObjectNode n = Json.mapper().createObjectNode().put("token", token).put("access_token", token)
        .put("expires_in", TokenIssuer.TTL.toSeconds()).put("issued_at", Instant.now().toString());
    x.json(200, Json.mapper().writeValueAsString(n));
  }
}
