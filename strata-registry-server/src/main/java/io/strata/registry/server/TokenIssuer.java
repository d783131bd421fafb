package io.strata.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.oci.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The built-in token endpoint's tokens (Docker's token authentication, as docker and podman follow
 * it): a JWT, HS256-signed with a key the registry processes share, carrying the subject, the
 * service, an expiry and the granted {@code access} list ({@code type}, {@code name}, {@code actions}).
 * A token for one repository says nothing of another (no scope confusion): every check names both.
 */
final class TokenIssuer {
  static final Duration TTL = Duration.ofMinutes(5);

  private final byte[] key;
  private final String service;

  TokenIssuer(byte[] key, String service) {
    this.key = key.clone();
    this.service = service;
  }

  static byte[] randomKey() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return k;
  }

  String service() {
    return service;
  }

  /** One granted scope. */
  record Grant(String type, String name, Set<String> actions) {}

  record Claims(String subject, Instant expires, List<Grant> access) {
    boolean allows(Access.Need need) {
      if (Instant.now().isAfter(expires)) return false;
      String type = need.repository() == null ? "registry" : "repository";
      String name = need.repository() == null ? "catalog" : need.repository();
      for (Grant g : access) {
        if (g.type().equals(type) && g.name().equals(name) && (g.actions().contains(need.action()) || g.actions().contains("*"))) {
          return true;
        }
      }
      return false;
    }
  }

  String issue(String subject, List<Grant> access) {
    ObjectNode header = Json.mapper().createObjectNode().put("alg", "HS256").put("typ", "JWT");
    ObjectNode claims = Json.mapper().createObjectNode().put("iss", service).put("aud", service)
        .put("sub", subject == null ? "" : subject).put("exp", Instant.now().plus(TTL).getEpochSecond())
        .put("iat", Instant.now().getEpochSecond());
    ArrayNode a = claims.putArray("access");
    for (Grant g : access) {
      ArrayNode actions = a.addObject().put("type", g.type()).put("name", g.name()).putArray("actions");
      g.actions().forEach(actions::add);
    }
    String body = b64(Json.write(header)) + "." + b64(Json.write(claims));
    return body + "." + b64(sign(body));
  }

  Optional<Claims> verify(String token) {
    String[] parts = token.split("\\.");
    if (parts.length != 3 || token.length() > 16 * 1024) return Optional.empty();
    byte[] sig;
    try {
      sig = Base64.getUrlDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!MessageDigest.isEqual(sig, sign(parts[0] + "." + parts[1]))) return Optional.empty();
    try {
      JsonNode c = Json.readTree(Base64.getUrlDecoder().decode(parts[1]), "token");
      if (!service.equals(c.path("aud").asText())) return Optional.empty();
      // an expired token (or one without an expiry) proves nobody, at /v2/ too, not just lacks scopes
      if (!c.path("exp").canConvertToLong()) return Optional.empty();
      Instant expires = Instant.ofEpochSecond(c.path("exp").asLong());
      if (!Instant.now().isBefore(expires)) return Optional.empty();
      List<Grant> grants = new ArrayList<>();
      for (JsonNode g : c.path("access")) {
        Set<String> actions = new TreeSet<>();
        g.path("actions").forEach(x -> actions.add(x.asText()));
        grants.add(new Grant(g.path("type").asText(), g.path("name").asText(), actions));
      }
      return Optional.of(new Claims(c.path("sub").asText(), expires, grants));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private byte[] sign(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
