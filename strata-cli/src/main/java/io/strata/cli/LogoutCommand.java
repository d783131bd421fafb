package io.strata.cli;

import io.strata.registry.CredentialStore;

/** {@code strata logout}: forgets a registry's stored credentials. */
final class LogoutCommand extends CliCommand {
  LogoutCommand(Session session) {
    super(session, "logout", "Log out from a registry");
    positional("0", "0..1", "SERVER", "The registry (default: Docker Hub)");
  }

  @Override
  public Integer call() {
    String server = LoginCommand.server(arg(0));
    String shown = CredentialStore.key(server);
    if (Registries.credentials(session).erase(server)) session.out().println("Removing login credentials for " + shown);
    else session.out().println("Not logged in to " + shown);
    return ExitCodes.OK;
  }
}
