package io.strata.registry.server;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may do what: every request names a repository (or the catalog) and an action (pull, push,
 * delete); the Authorization header is checked against the configured mode. Basic authentication
 * checks the htpasswd file; bearer tokens come from the built-in {@link TokenIssuer} and carry their
 * scopes. Anonymous clients may pull when {@code anonymousRead} is on. A refusal carries the
 * challenge that tells the client what to do.
 */
final class Access {
  enum Mode { NONE, BASIC, TOKEN }

  /** What a request wants: {@code repository} null for the catalog. */
  record Need(String repository, String action) {
    String scope() {
      return repository == null ? "registry:catalog:*" : "repository:" + repository + ":" + action;
    }
  }

  private final Mode mode;
  private final Htpasswd users;
  private final TokenIssuer tokens;
  private final boolean anonymousRead;
  private final Acl acl;
  private final String realm; // the token endpoint's URL, or basic's realm

  Access(Mode mode, Htpasswd users, TokenIssuer tokens, boolean anonymousRead, Acl acl, String realm) {
    this.mode = mode;
    this.users = users;
    this.tokens = tokens;
    this.anonymousRead = anonymousRead;
    this.acl = acl;
    this.realm = realm;
  }

  static Access open() {
    return new Access(Mode.NONE, null, null, true, Acl.ALL, "");
  }

  Mode mode() {
    return mode;
  }

  TokenIssuer issuer() {
    return tokens;
  }

  /** Refuses with UNAUTHORIZED (and a challenge) or DENIED unless {@code authorization} allows {@code need}. */
  void check(String authorization, Need need, Map<String, String> challengeOut) {
    if (mode == Mode.NONE) return;
    if (anonymousRead && need.action().equals("pull") && (authorization == null || authorization.isBlank())) return;
    switch (mode) {
      case BASIC -> {
        Optional<String> user = basicUser(authorization);
        if (user.isEmpty()) throw challenge(challengeOut, "Basic realm=\"" + realm + "\"", "authentication required");
        if (!acl.allows(user.get(), need)) throw new RegistryError(RegistryError.Code.DENIED, "requested access to the resource is denied");
      }
      case TOKEN -> {
        Optional<TokenIssuer.Claims> claims = bearer(authorization);
        String challenge = "Bearer realm=\"" + realm + "\",service=\"" + tokens.service() + "\",scope=\"" + need.scope() + "\"";
        if (claims.isEmpty()) throw challenge(challengeOut, challenge + invalidToken(authorization), "authentication required");
        if (!claims.get().allows(need)) {
          // a token for other scopes: the client asks again for this one (insufficient_scope)
          throw challenge(challengeOut, challenge + ",error=\"insufficient_scope\"", "insufficient scope");
        }
      }
      default -> throw new IllegalStateException();
    }
  }

  /** Whether the header proves anyone at all (the {@code /v2/} check); {@code out} gets the challenge when not. */
  boolean authenticated(String authorization, Map<String, String> out) {
    boolean ok = switch (mode) {
      case NONE -> true;
      case BASIC -> basicUser(authorization).isPresent();
      case TOKEN -> bearer(authorization).isPresent();
    };
    if (!ok) {
      out.put("WWW-Authenticate", mode == Mode.BASIC ? "Basic realm=\"" + realm + "\""
          : "Bearer realm=\"" + realm + "\",service=\"" + tokens.service() + "\"" + invalidToken(authorization));
    }
    return ok;
  }

  /**
   * RFC 6750 3.1: a bearer token that was sent but is not valid (expired, forged, for another
   * service) is {@code invalid_token}, so the client fetches a new one; no token, no error.
   */
  private static String invalidToken(String authorization) {
    return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? ",error=\"invalid_token\"" : "";
  }

  private static RegistryError challenge(Map<String, String> out, String header, String message) {
    out.put("WWW-Authenticate", header);
    return new RegistryError(RegistryError.Code.UNAUTHORIZED, message);
  }

  /** The user a Basic header names, when the htpasswd file accepts its password. */
  Optional<String> basicUser(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6) || users == null) return Optional.empty();
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) return Optional.empty();
    String user = decoded.substring(0, colon);
    return users.check(user, decoded.substring(colon + 1)) ? Optional.of(user) : Optional.empty();
  }

  private Optional<TokenIssuer.Claims> bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) return Optional.empty();
    return tokens.verify(authorization.substring(7).strip());
  }

  /**
   * What a user (null: anonymous) may do: patterns of repository names ({@code *} any run of
   * characters within the name) with their actions. Without entries every authenticated user may do
   * everything and anonymous users nothing (or pull, with {@code anonymousRead}).
   */
  record Acl(List<Entry> entries) {
    static final Acl ALL = new Acl(List.of());

    record Entry(String user, String pattern, Set<String> actions) {}

    boolean allows(String user, Need need) {
      if (entries.isEmpty()) return user != null;
      for (Entry e : entries) {
        if (!(e.user().equals("*") ? user != null : e.user().equals(user))) continue;
        String name = need.repository() == null ? "_catalog" : need.repository();
        if (glob(e.pattern(), name) && (e.actions().contains("*") || e.actions().contains(need.action()))) return true;
      }
      return false;
    }

    private static boolean glob(String pattern, String name) {
      String regex = ("\\Q" + pattern + "\\E").replace("*", "\\E.*\\Q");
      return name.matches(regex);
    }
  }

  /** The actions of {@code want} (a scope's actions) that {@code user} may have: for a token. */
  Set<String> grant(String user, String repository, Set<String> want) {
    Set<String> out = new java.util.TreeSet<>();
    for (String a : want) {
      Need n = new Need(repository, a);
      if ((user == null && anonymousRead && a.equals("pull")) || (acl.allows(user, n))) out.add(a);
    }
    return out;
  }
}
