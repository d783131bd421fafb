package io.strata.oci;

import java.util.Base64;

/** Strict base64 checks: standard alphabet with padding, as the descriptor {@code data} field requires. */
final class Base64Text {
  private Base64Text() {}

  static boolean isPadded(String s) {
    if (s.length() % 4 != 0) return false; // Java's decoder would accept missing padding
    try {
      Base64.getDecoder().decode(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
