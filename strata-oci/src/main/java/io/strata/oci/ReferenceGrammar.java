package io.strata.oci;

import java.util.regex.Pattern;

/**
 * The distribution/reference grammar as Java patterns (package-private):
 * <pre>
 * reference  := name [ ":" tag ] [ "@" digest ]
 * name       := [domain "/"] path-component ["/" path-component]*
 * domain     := host [":" port]          host := domain-name | "[" ipv6 "]"
 * path-component := [a-z0-9]+ (separator [a-z0-9]+)*     separator := [_.] | "__" | "-"+
 * tag        := [\w][\w.-]{0,127}
 * digest     := algorithm ":" hex{32,}
 * </pre>
 */
final class ReferenceGrammar {
  static final int NAME_MAX = 255;
  /** Inputs longer than this are refused before any regex runs. */
  static final int INPUT_MAX = 4096;

  private static final String ALNUM = "[a-z0-9]+";
  private static final String SEPARATOR = "(?:[._]|__|-+)";
  private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
  private static final String PATH = PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
  private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String IPV6 = "\\[[a-fA-F0-9:]+\\]";
  private static final String HOST = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|" + IPV6 + ")";
  private static final String DOMAIN = HOST + "(?::[0-9]+)?";
  private static final String TAG = "[\\w][\\w.-]{0,127}";
  private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
  private static final String NAME = "(?:" + DOMAIN + "/)?" + PATH;

  /** Groups: 1 name, 2 tag, 3 digest. */
  static final Pattern REFERENCE = Pattern.compile("(" + NAME + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");
  /** Groups: 1 domain (may be null), 2 path. */
  static final Pattern ANCHORED_NAME = Pattern.compile("(?:(" + DOMAIN + ")/)?(" + PATH + ")");
  static final Pattern DOMAIN_PATTERN = Pattern.compile(DOMAIN);
  static final Pattern PATH_PATTERN = Pattern.compile(PATH);
  static final Pattern TAG_PATTERN = Pattern.compile(TAG);
  /** A bare image ID: 64 lowercase hex characters. */
  static final Pattern IDENTIFIER = Pattern.compile("[a-f0-9]{64}");

  private ReferenceGrammar() {}
}
