package io.strata.cli;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.oci.Reference;
import io.strata.registry.CredentialStore;
import io.strata.registry.Credentials;
import io.strata.registry.RegistryClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code strata login}: checks the credentials against the registry (its challenge answered with
 * them), then stores them as Docker does (its credentials file or credential helper).
 */
final class LoginCommand extends CliCommand {
  LoginCommand(Session session) {
    super(session, "login", "Log in to a registry");
    option("USER", "Username", "-u", "--username");
    option("PASSWORD", "Password (prefer --password-stdin)", "-p", "--password");
    flag("Take the password from stdin", "--password-stdin");
    positional("0", "0..1", "SERVER", "The registry (default: Docker Hub)");
  }

  @Override
  public Integer call() throws IOException {
    String server = server(arg(0));
    String user = value("--username");
    String password = value("--password");
    if (isSet("--password-stdin")) {
      if (password != null) throw new ExitCodes.UsageException("--password and --password-stdin are mutually exclusive");
      if (user == null) throw new ExitCodes.UsageException("Must provide --username with --password-stdin");
      password = new String(session.streams().in().readNBytes(64 * 1024), StandardCharsets.UTF_8).strip();
    } else if (password != null) {
      session.streams().err().println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
    }
    if (user == null || password == null) {
      throw new InvalidArgumentException("Cannot perform an interactive login from a non TTY device: give -u and --password-stdin");
    }
    Credentials credentials = new Credentials(user, password, null);
    RegistryClient.verify(server, Registries.options(session), credentials);
    CredentialStore store = Registries.credentials(session);
    store.store(server, credentials);
    session.out().println("Login Succeeded");
    return ExitCodes.OK;
  }

  /** {@code host[:port]}, given bare or as a URL; Docker Hub when none. */
  static String server(String arg) {
    if (arg == null || arg.isEmpty()) return Reference.DEFAULT_DOMAIN;
    String s = arg.replaceFirst("^https?://", "");
    int slash = s.indexOf('/');
    s = slash < 0 ? s : s.substring(0, slash);
    if (s.isEmpty() || !s.matches("[A-Za-z0-9.\\-\\[\\]:]+")) throw new InvalidArgumentException("invalid registry " + arg);
    return s.equals("index.docker.io") || s.equals("registry-1.docker.io") ? Reference.DEFAULT_DOMAIN : s;
  }
}
