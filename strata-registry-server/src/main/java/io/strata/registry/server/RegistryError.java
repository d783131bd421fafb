package io.strata.registry.server;

import java.util.Locale;

/**
 * An error answer of the distribution spec: its code (sent as {@code {"errors":[{"code":...}]}}), the
 * HTTP status it goes with, and a message for the client. Thrown by handlers, rendered once.
 */
final class RegistryError extends RuntimeException {
  enum Code {
    BLOB_UNKNOWN(404), BLOB_UPLOAD_INVALID(400), BLOB_UPLOAD_UNKNOWN(404), DIGEST_INVALID(400),
    MANIFEST_BLOB_UNKNOWN(400), MANIFEST_INVALID(400), MANIFEST_UNKNOWN(404), NAME_INVALID(400),
    NAME_UNKNOWN(404), SIZE_INVALID(400), UNAUTHORIZED(401), DENIED(403), UNSUPPORTED(405),
    TOOMANYREQUESTS(429), RANGE_INVALID(416), PAGINATION_NUMBER_INVALID(400);

    final int status;

    Code(int status) {
      this.status = status;
    }
  }

  final Code code;
  final int status;

  RegistryError(Code code, String message) {
    this(code, code.status, message);
  }

  RegistryError(Code code, int status, String message) {
    super(message, null, false, false);
    this.code = code;
    this.status = status;
  }

  String json() {
    return "{\"errors\":[{\"code\":\"" + code.name() + "\",\"message\":\"" + escape(getMessage()) + "\",\"detail\":null}]}";
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      else b.append(c);
    }
    return b.toString();
  }
}
