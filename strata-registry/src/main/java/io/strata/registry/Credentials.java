package io.strata.registry;

/**
 * What authenticates a user to one registry. {@code identityToken} (a refresh token, which Docker
 * keeps as username {@code <token>}) is sent to a token endpoint instead of the password.
 */
public record Credentials(String username, String secret, String identityToken) {
  @Override
  public String toString() {
    return "Credentials[" + username + "]"; // never the secret
  }
}
