package io.strata.registry.server;

import java.util.regex.Pattern;

/**
 * The distribution spec's repository name grammar: lowercase components of alphanumerics joined by
 * {@code .}, {@code _}, {@code __} or dashes, separated by {@code /}; at most 255 characters. So no
 * component is empty, {@code .} or {@code ..}, and no name can leave its directory or key prefix.
 */
final class RepositoryName {
  static final int MAX_LENGTH = 255;
  private static final Pattern NAME =
      Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

  private RepositoryName() {}

  static String check(String name) {
    if (!isName(name)) {
      throw new RegistryError(RegistryError.Code.NAME_INVALID, "invalid repository name");
    }
    return name;
  }

  static boolean isName(String name) {
    return !name.isEmpty() && name.length() <= MAX_LENGTH && NAME.matcher(name).matches();
  }

  static boolean isTag(String s) {
    return TAG.matcher(s).matches();
  }
}
