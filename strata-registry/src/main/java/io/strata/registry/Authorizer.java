package io.strata.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.errdefs.UnauthorizedException;
import io.strata.errdefs.UnavailableException;
import io.strata.oci.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Answers a registry's authentication challenges: bearer tokens from the challenge's realm
 * (anonymous, or with the user's credentials, or an identity token through OAuth2's refresh
 * grant), cached per set of scopes until shortly before they expire; basic authentication where
 * the registry asks for it. Credentials go only to this registry and the token realm it names, and
 * never in plain HTTP to a host that is not allowed plain HTTP.
 */
final class Authorizer {
  private static final int MAX_TOKEN_RESPONSE = 1 << 20;
  private static final Duration DEFAULT_TTL = Duration.ofSeconds(60); // the token spec's default
  private static final Duration MARGIN = Duration.ofSeconds(5);

  private record Token(String value, Instant expires) {}

  private final RegistryClient client;
  private final String host;
  private final Supplier<Optional<Credentials>> credentials;
  private final RegistryOptions options;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private volatile Challenge known; // what the registry asked for last

  Authorizer(RegistryClient client, String host, Supplier<Optional<Credentials>> credentials, RegistryOptions options) {
    this.client = client;
    this.host = host;
    this.credentials = credentials == null ? Optional::empty : credentials;
    this.options = options;
  }

  /** Remembers the challenge of a ping, so later requests are authorized up front. */
  void learn(List<String> headers) {
    pick(headers).ifPresent(c -> known = c);
  }

  /** The Authorization header for a request of these scopes, when one is known; null otherwise. */
  String header(List<String> scopes) {
    Challenge c = known;
    if (c == null) return null;
    return answer(c, scopes).orElse(null);
  }

  /** Answers the 401's challenges for {@code scopes}; empty when there is nothing to answer with. */
  Optional<String> answer(List<String> headers, List<String> scopes) {
    Optional<Challenge> c = pick(headers);
    if (c.isEmpty()) return Optional.empty();
    known = c.get();
    List<String> all = new ArrayList<>(scopes);
    String asked = c.get().param("scope");
    if (asked != null) for (String s : asked.split(" ")) if (!s.isBlank() && !all.contains(s)) all.add(s);
    return answer(c.get(), all);
  }

  private Optional<String> answer(Challenge c, List<String> scopes) {
    if (c.scheme().equals("basic")) {
      return credentials.get().filter(cr -> cr.secret() != null).map(cr -> "Basic " + Base64.getEncoder()
          .encodeToString((cr.username() + ":" + cr.secret()).getBytes(StandardCharsets.UTF_8)));
    }
    String key = String.join(" ", new TreeSet<>(scopes));
    Token t = tokens.get(key);
    if (t == null || Instant.now().isAfter(t.expires())) {
      t = fetchToken(c, scopes);
      tokens.put(key, t);
    }
    return Optional.of("Bearer " + t.value());
  }

  /** Bearer is preferred over basic, as Docker does; other schemes are not spoken. */
  private static Optional<Challenge> pick(List<String> headers) {
    Challenge basic = null;
    for (String h : headers) {
      for (Challenge c : Challenge.parse(h)) {
        if (c.scheme().equals("bearer") && c.param("realm") != null) return Optional.of(c);
        if (c.scheme().equals("basic")) basic = c;
      }
    }
    return Optional.ofNullable(basic);
  }

  private Token fetchToken(Challenge c, List<String> scopes) {
    URI realm;
    try {
      realm = URI.create(c.param("realm"));
    } catch (IllegalArgumentException e) {
      throw new UnauthorizedException("registry " + host + ": malformed token realm " + c.param("realm"), e);
    }
    boolean tls = "https".equals(realm.getScheme());
    if (!tls && !("http".equals(realm.getScheme()) && realm.getHost() != null && options.allowsPlainHttp(realm.getRawAuthority()))) {
      throw new UnauthorizedException("registry " + host + ": token realm " + realm + " is not HTTPS", null);
    }
    String service = c.param("service");
    Optional<Credentials> cred = credentials.get();
    HttpRequest.Builder b;
    if (cred.isPresent() && cred.get().identityToken() != null) {
      StringBuilder form = new StringBuilder("grant_type=refresh_token&client_id=strata&refresh_token=")
          .append(enc(cred.get().identityToken()));
      if (service != null) form.append("&service=").append(enc(service));
      if (!scopes.isEmpty()) form.append("&scope=").append(enc(String.join(" ", scopes)));
      b = HttpRequest.newBuilder(realm).header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
    } else {
      StringBuilder q = new StringBuilder();
      if (service != null) q.append("service=").append(enc(service));
      for (String s : scopes) q.append(q.isEmpty() ? "" : "&").append("scope=").append(enc(s));
      String sep = realm.getRawQuery() == null ? "?" : "&";
      b = HttpRequest.newBuilder(URI.create(realm + (q.isEmpty() ? "" : sep + q))).GET();
      if (cred.isPresent() && cred.get().secret() != null) {
        b.header("Authorization", "Basic " + Base64.getEncoder()
            .encodeToString((cred.get().username() + ":" + cred.get().secret()).getBytes(StandardCharsets.UTF_8)));
      }
    }
    b.timeout(Duration.ofSeconds(60)).header("User-Agent", RegistryClient.USER_AGENT);
    HttpResponse<InputStream> r;
    byte[] body;
    try {
      r = client.exchange(b.build());
      body = StallWatch.readBounded(r.body(), MAX_TOKEN_RESPONSE);
    } catch (IOException e) {
      throw new UnavailableException("get token from " + realm.getHost() + ": " + RegistryClient.describe(e), e);
    }
    if (r.statusCode() == 401 || r.statusCode() == 403) {
      throw new UnauthorizedException((cred.isPresent() ? "unauthorized: incorrect username or password"
          : "unauthorized: authentication required") + " (" + host + ")", null);
    }
    if (r.statusCode() != 200) {
      throw new UnavailableException("get token from " + realm.getHost() + ": status " + r.statusCode(), null);
    }
    if (body.length > MAX_TOKEN_RESPONSE) throw new UnavailableException("token response from " + realm.getHost() + " too large", null);
    JsonNode n = Json.readTree(body, "token response from " + realm.getHost());
    String token = n.path("token").asText(n.path("access_token").asText(""));
    if (token.isEmpty()) throw new UnauthorizedException("token response from " + realm.getHost() + " holds no token", null);
    if (!token.matches("[\\x21-\\x7e]{1,8192}")) { // it goes into a header as it is
      throw new UnauthorizedException("token response from " + realm.getHost() + " holds a malformed token", null);
    }
    long ttl = n.path("expires_in").asLong(DEFAULT_TTL.toSeconds());
    if (ttl <= 0 || ttl > 365L * 24 * 3600) ttl = DEFAULT_TTL.toSeconds();
    Instant issued = Instant.now();
    return new Token(token, issued.plusSeconds(ttl).minus(MARGIN));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
