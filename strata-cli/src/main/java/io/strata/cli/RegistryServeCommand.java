package io.strata.cli;

import io.strata.registry.server.RegistryConfig;
import io.strata.registry.server.RegistryServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.Base64;

/**
 * {@code strata registry serve}: an OCI distribution registry on the local file system or S3, until
 * SIGINT/SIGTERM (then running requests finish). Flags override {@code --config}'s file.
 */
final class RegistryServeCommand extends CliCommand {
  RegistryServeCommand(Session session) {
    super(session, "serve", "Serve an OCI distribution registry");
    option("FILE", "Configuration file (JSON; see the README)", "--config");
    option("HOST:PORT", "Address to listen on (default 127.0.0.1:5000)", "--addr");
    option("DIR", "File system storage directory (default /var/lib/strata-registry)", "--storage");
    option("BUCKET", "S3 storage: the bucket", "--s3-bucket");
    option("PREFIX", "S3 storage: key prefix", "--s3-prefix");
    option("URL", "S3 storage: endpoint (an S3-compatible server)", "--s3-endpoint");
    option("REGION", "S3 storage: region (default us-east-1)", "--s3-region");
    flag("S3 storage: path-style addressing", "--s3-path-style");
    flag("S3 storage: answer blob GETs with a redirect to a presigned URL", "--s3-redirect");
    option("FILE", "htpasswd file (bcrypt) for basic authentication", "--htpasswd");
    option("URL", "Token authentication: the token endpoint's URL clients are sent to (serve /token at it)", "--token-realm");
    option("BASE64", "Token authentication: the signing key shared by registry processes", "--token-key");
    flag("Anyone may pull", "--anonymous-read");
    option("FILE", "TLS certificate chain (PEM)", "--tls-cert");
    option("FILE", "TLS private key (PEM, PKCS#8)", "--tls-key");
    flag("Refuse every write (maintenance)", "--read-only");
    option("-|FILE|off", "Access log, a JSON line per request (default -: stderr)", "--access-log");
  }

  @Override
  public Integer call() throws Exception {
    RegistryConfig c = value("--config") != null ? RegistryConfig.load(Path.of(value("--config"))) : RegistryConfig.defaults();
    if (value("--addr") != null) c = c.withAddr(value("--addr"));
    if (value("--storage") != null) c = c.withRoot(Path.of(value("--storage")));
    if (value("--s3-bucket") != null) {
      c = c.withS3(new RegistryConfig.S3(value("--s3-bucket"), value("--s3-prefix") == null ? "" : value("--s3-prefix"),
          value("--s3-endpoint") == null ? null : URI.create(value("--s3-endpoint")),
          value("--s3-region") == null ? "us-east-1" : value("--s3-region"), isSet("--s3-path-style"),
          session.streams().env().get("AWS_ACCESS_KEY_ID"), session.streams().env().get("AWS_SECRET_ACCESS_KEY"),
          isSet("--s3-redirect")));
    }
    if (value("--htpasswd") != null || value("--token-realm") != null || isSet("--anonymous-read")) {
      RegistryConfig.Token token = value("--token-realm") == null ? c.token() : new RegistryConfig.Token(value("--token-realm"),
          "strata-registry", value("--token-key") == null ? null : Base64.getDecoder().decode(value("--token-key")));
      c = c.withAuth(value("--htpasswd") != null ? Path.of(value("--htpasswd")) : c.htpasswd(), token,
          isSet("--anonymous-read") || c.anonymousRead());
    }
    if (value("--tls-cert") != null) c = c.withTls(Path.of(value("--tls-cert")), Path.of(value("--tls-key")));
    if (isSet("--read-only")) c = c.withReadOnly(true);
    if (value("--access-log") != null) c = c.withAccessLog(value("--access-log"));
    RegistryServer server = RegistryServer.start(c);
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
      try {
        server.close();
      } catch (Exception e) {
        // stopping anyway
      }
    }));
    session.streams().err().println("strata registry listening on " + c.addr().replaceFirst(":\\d+$", ":" + server.port())
        + (c.s3() != null ? " (s3://" + c.s3().bucket() + "/" + c.s3().prefix() + ")" : " (" + c.root() + ")"));
    server.join();
    return ExitCodes.OK;
  }
}
