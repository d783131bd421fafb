package io.strata.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.errdefs.FailedPreconditionException;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.NotFoundException;
import io.strata.errdefs.StrataException;
import io.strata.errdefs.UnauthorizedException;
import io.strata.errdefs.UnavailableException;
import io.strata.oci.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Locale;

/**
 * A registry's error response as one line: the distribution spec's error body
 * ({@code {"errors":[{"code","message"}]}}) read with a bound, its text cleaned of control
 * characters and cut short, mapped to strata's error kinds by status.
 */
final class RegistryErrors {
  private static final int MAX_BODY = 64 * 1024;
  private static final int MAX_TEXT = 300;

  private RegistryErrors() {}

  /** Consumes and closes the response body. */
  static StrataException of(HttpResponse<InputStream> r, String what) {
    String detail = detail(r);
    int status = r.statusCode();
    String msg = what + ": " + (detail.isEmpty() ? defaultText(status) : detail);
    return switch (status) {
      case 401, 403 -> new UnauthorizedException(msg, null);
      case 404 -> new NotFoundException(msg);
      case 429 -> new UnavailableException(msg, null);
      case 400, 405, 413, 414, 416 -> new InvalidArgumentException(msg);
      default -> status >= 500 ? new UnavailableException(msg, null) : new FailedPreconditionException(msg);
    };
  }

  private static String detail(HttpResponse<InputStream> r) {
    byte[] body;
    try {
      body = StallWatch.readBounded(r.body(), MAX_BODY);
    } catch (IOException e) {
      return "";
    }
    try {
      JsonNode first = Json.readTree(body, "error body").path("errors").path(0);
      String code = first.path("code").asText("").toLowerCase(Locale.ROOT).replace('_', ' ');
      String message = first.path("message").asText("");
      if (code.isEmpty() && message.isEmpty()) return "";
      return clean(code.isEmpty() ? message : message.isEmpty() || message.equalsIgnoreCase(code) ? code : code + ": " + message);
    } catch (RuntimeException notJson) {
      return "";
    }
  }

  private static String defaultText(int status) {
    return switch (status) {
      case 401 -> "unauthorized: authentication required";
      case 403 -> "denied: requested access to the resource is denied";
      case 404 -> "not found";
      case 429 -> "toomanyrequests: too many requests";
      default -> "unexpected status " + status;
    };
  }

  static String clean(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().limit(MAX_TEXT).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
    return b.toString().strip();
  }
}
