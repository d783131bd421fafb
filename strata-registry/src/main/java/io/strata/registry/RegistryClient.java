package io.strata.registry;

import io.strata.errdefs.UnavailableException;
import io.strata.oci.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * HTTP to one registry (Docker Registry HTTP API v2 / OCI distribution): finds its endpoint (HTTPS,
 * or plain HTTP where the options allow it, as Docker pings {@code /v2/} first), authorizes each
 * request for its scope ({@link Authorizer}: a challenge is answered once and the answer reused),
 * follows redirects itself so that credentials never go to another host (a blob store, a CDN), and
 * retries idempotent requests on connection faults, 429 and 5xx, a bounded number of times.
 */
public final class RegistryClient implements AutoCloseable {
  static final String USER_AGENT = "strata/0.1";
  private static final int MAX_REDIRECTS = 5;
  private static final int MAX_ATTEMPTS = 4;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(10);

  private final String host; // as in references: docker.io, localhost:5000
  private final URI fixedBase; // a mirror, or null: found by ping
  private final RegistryOptions options;
  private final Authorizer auth;
  private final HttpClient http;
  private volatile URI base;

  /** A client for {@code host} (a reference's domain). */
  public RegistryClient(String host, RegistryOptions options, CredentialStore credentials) {
    this(host, null, options, credentials);
  }

  /** A client for {@code host} reached at {@code base} (a mirror's URL), or found by ping when null. */
  public RegistryClient(String host, URI base, RegistryOptions options, CredentialStore credentials) {
    this(host, base, options, credentials == null ? null : () -> credentials.get(host));
  }

  private RegistryClient(String host, URI base, RegistryOptions options, Supplier<Optional<Credentials>> credentials) {
    this.host = host;
    this.fixedBase = base;
    this.options = options;
    boolean insecure = options.allowsPlainHttp(apiHost()) || (base != null && options.allowsPlainHttp(base.getAuthority()));
    this.http = httpClient(insecure, insecure ? null : TrustStores.forHost(apiHost(), options.certsDirs()));
    this.auth = new Authorizer(this, host, credentials, options);
  }

  /**
   * {@code login}'s check: the registry accepts {@code credentials} (its {@code /v2/} answers 200
   * once the challenge is answered with them); an {@link io.strata.errdefs.UnauthorizedException} otherwise.
   */
  public static void verify(String host, RegistryOptions options, Credentials credentials) {
    try (RegistryClient c = new RegistryClient(host, null, options, () -> Optional.of(credentials))) {
      HttpResponse<InputStream> r = c.send(new Request("GET", c.uri("/v2/"), Map.of(), null, List.of(), true));
      if (r.statusCode() != 200) throw RegistryErrors.of(r, "login to " + host);
      try {
        r.body().close();
      } catch (IOException e) {
        // answered
      }
    }
  }

  public String host() {
    return host;
  }

  /** The host the API is served from: Docker Hub's references say docker.io, its API is registry-1.docker.io. */
  String apiHost() {
    return host.equals(Reference.DEFAULT_DOMAIN) || host.equals(Reference.LEGACY_DEFAULT_DOMAIN) ? "registry-1.docker.io" : host;
  }

  /** A request; {@code body} makes a fresh body publisher for each attempt (null: none). */
  public record Request(String method, URI uri, Map<String, String> headers, Supplier<HttpRequest.BodyPublisher> body,
      List<String> scopes, boolean idempotent) {
    public Request {
      headers = Map.copyOf(headers);
      scopes = List.copyOf(scopes);
    }
  }

  /** {@code path} (starting with {@code /v2/}) on this registry's endpoint. */
  public URI uri(String path) {
    return base().resolve(path);
  }

  /**
   * Sends {@code req}, answering an authentication challenge once, following redirects and retrying
   * as the class comment says. The caller closes the body. A transport failure on the last attempt
   * is an {@link UnavailableException} naming the request.
   */
  public HttpResponse<InputStream> send(Request req) {
    IOException last = null;
    long delay = 0;
    for (int attempt = 1; attempt <= (req.idempotent() ? MAX_ATTEMPTS : 1); attempt++) {
      if (attempt > 1) sleep(delay > 0 ? delay : backoff(attempt));
      delay = 0;
      try {
        HttpResponse<InputStream> r = sendAuthorized(req);
        if (req.idempotent() && attempt < MAX_ATTEMPTS && retryable(r.statusCode())) {
          delay = retryAfter(r.headers().firstValue("Retry-After").orElse(null));
          r.body().close();
          continue;
        }
        return r;
      } catch (ProtocolViolation e) {
        throw new UnavailableException(req.method() + " " + req.uri() + ": " + e.getMessage(), e); // the same again
      } catch (IOException e) {
        last = e;
      }
    }
    throw new UnavailableException(req.method() + " " + req.uri() + ": " + describe(last), last);
  }

  /** A registry's answer that a retry cannot change (a redirect loop, a bad Location): never retried. */
  static final class ProtocolViolation extends IOException {
    ProtocolViolation(String message) {
      super(message);
    }
  }

  /**
   * Sends with what is known to authorize the scopes, and answers a 401 challenge once. Only the
   * registry's own challenge is answered: a 401 from a host a redirect led to (a blob store) is
   * returned as it is, so the registry's credentials never go to that host's token realm.
   */
  private HttpResponse<InputStream> sendAuthorized(Request req) throws IOException {
    HttpResponse<InputStream> r = sendFollowing(req, auth.header(req.scopes()));
    if (r.statusCode() != 401 || !sameOrigin(r.uri(), base())) return r;
    List<String> challenges = r.headers().allValues("WWW-Authenticate");
    Optional<String> answer = auth.answer(challenges, req.scopes());
    if (answer.isEmpty()) return r; // nothing to answer with: the 401 stands
    r.body().close();
    return sendFollowing(req, answer.get());
  }

  /** Sends and follows redirects; {@code authorization} goes only to this registry's own endpoint. */
  private HttpResponse<InputStream> sendFollowing(Request req, String authorization) throws IOException {
    URI target = req.uri();
    String method = req.method();
    Supplier<HttpRequest.BodyPublisher> body = req.body();
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(Duration.ofMinutes(10))
          .header("User-Agent", USER_AGENT);
      req.headers().forEach(b::header);
      if (authorization != null && sameOrigin(target, base())) b.header("Authorization", authorization);
      b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body.get());
      HttpResponse<InputStream> r = exchange(b.build());
      int status = r.statusCode();
      if (status < 300 || status >= 400 || status == 304) return r;
      Optional<String> location = r.headers().firstValue("Location");
      r.body().close();
      if (location.isEmpty()) throw new ProtocolViolation("redirect " + status + " without a Location");
      target = location(target, location.get());
      if (!"https".equals(target.getScheme()) && !("http".equals(target.getScheme())
          && options.allowsPlainHttp(target.getRawAuthority()))) {
        throw new ProtocolViolation("redirect to " + target.getScheme() + "://" + target.getRawAuthority() + " refused (not HTTPS)");
      }
      if (status == 303) {
        method = "GET";
        body = null;
      }
    }
    throw new ProtocolViolation("more than " + MAX_REDIRECTS + " redirects from " + req.uri());
  }

  /** A {@code Location} resolved against the request: it must be an http(s) URL with a host. */
  static URI location(URI against, String location) throws ProtocolViolation {
    try {
      URI u = against.resolve(location.strip());
      if (u.getHost() == null || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()))) {
        throw new IllegalArgumentException("not an http(s) URL with a host");
      }
      return u;
    } catch (IllegalArgumentException e) {
      throw new ProtocolViolation("redirect to " + RegistryErrors.clean(location) + " refused: not an http(s) URL with a host");
    }
  }

  HttpResponse<InputStream> exchange(HttpRequest request) throws IOException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * The endpoint: the fixed base, else the first of HTTPS and plain HTTP (where the options allow
   * it) whose {@code /v2/} answers as a registry does (200, or 401 with its challenge), as Docker's
   * ping. Where plain HTTP is allowed it is tried first: a TLS handshake attempted against a plain
   * server costs a cold JVM more than a plain request costs against a TLS one, which answers 400.
   */
  URI base() {
    URI b = base;
    if (b != null) return b;
    synchronized (this) {
      if (base != null) return base;
      if (fixedBase != null) return base = fixedBase;
      URI https = URI.create("https://" + apiHost() + "/");
      URI plain = URI.create("http://" + apiHost() + "/");
      List<URI> order = options.allowsPlainHttp(apiHost()) ? List.of(plain, https) : List.of(https);
      IOException last = null;
      URI tried = https;
      for (URI candidate : order) {
        try {
          if (ping(candidate)) return base = candidate;
        } catch (IOException e) {
          last = e;
          tried = candidate;
        }
      }
      throw new UnavailableException("Get \"" + tried.resolve("/v2/") + "\": "
          + (last == null ? "not a registry (/v2/ answered neither 200 nor 401)" : describe(last)), last);
    }
  }

  /** Whether {@code /v2/} at {@code base} answers as a registry; its challenge is remembered. */
  private boolean ping(URI base) throws IOException {
    HttpRequest r = HttpRequest.newBuilder(base.resolve("/v2/")).timeout(CONNECT_TIMEOUT).header("User-Agent", USER_AGENT)
        .GET().build();
    HttpResponse<InputStream> resp = exchange(r);
    StallWatch.readBounded(resp.body(), 64 * 1024);
    if (resp.statusCode() != 200 && resp.statusCode() != 401) return false;
    auth.learn(resp.statusCode() == 401 ? resp.headers().allValues("WWW-Authenticate") : List.of());
    return true;
  }

  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
        && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  private static boolean retryable(int status) {
    return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
  }

  private static long backoff(int attempt) {
    return 250L << Math.min(attempt - 2, 4);
  }

  /** Milliseconds a {@code Retry-After} of seconds asks for (capped), or 0 for none or a date. */
  private static long retryAfter(String header) {
    if (header == null || !header.strip().matches("[0-9]{1,6}")) return 0;
    return Math.max(1, Math.min(Long.parseLong(header.strip()) * 1000, MAX_RETRY_AFTER.toMillis()));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted", e);
    }
  }

  static String describe(IOException e) {
    if (e == null) return "failed";
    if (e instanceof HttpTimeoutException) return "timeout";
    if (e instanceof ConnectException) return "connect: connection refused";
    if (e instanceof SSLException || e.getCause() instanceof SSLException) {
      return "tls: " + (e.getMessage() == null ? "handshake failed" : e.getMessage().toLowerCase(Locale.ROOT));
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /**
   * HTTP/1.1 (as registries expect), no automatic redirects (followed above, without credentials
   * for other hosts), the JDK's trust store, or no certificate check at all for an insecure registry
   * (Docker's {@code insecure-registries} and loopback: HTTPS there is tried unverified first); see
   * {@link TrustStores} for the certificates checked otherwise.
   */
  private static HttpClient httpClient(boolean insecure, SSLContext trusted) {
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(CONNECT_TIMEOUT);
    if (trusted != null) b.sslContext(trusted);
    if (insecure) {
      try {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
        SSLParameters params = new SSLParameters();
        params.setEndpointIdentificationAlgorithm(null);
        b.sslContext(ctx).sslParameters(params);
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
    return b.build();
  }

  /** Only for registries the user declared insecure (or loopback), as Docker's InsecureSkipVerify. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
