package io.strata.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code WWW-Authenticate} challenge (RFC 7235): a scheme ({@code bearer}, {@code basic}) and
 * its parameters ({@code realm}, {@code service}, {@code scope}, {@code error}). Parsing is strict
 * and bounded: a malformed header yields no challenge rather than a guess.
 */
public record Challenge(String scheme, Map<String, String> params) {
  private static final int MAX_HEADER = 8192;

  public Challenge {
    scheme = scheme.toLowerCase(Locale.ROOT);
    params = Map.copyOf(params);
  }

  public String param(String name) {
    return params.get(name);
  }

  /** The challenges of one header value; empty when it is malformed or too long. */
  public static List<Challenge> parse(String header) {
    List<Challenge> out = new ArrayList<>();
    if (header == null || header.length() > MAX_HEADER) return out;
    Parser p = new Parser(header);
    try {
      while (true) {
        p.skipSpacesAndCommas();
        if (p.atEnd()) return out;
        String scheme = p.token();
        if (scheme.isEmpty()) return List.of();
        Map<String, String> params = new LinkedHashMap<>();
        while (true) {
          int mark = p.pos;
          p.skipSpacesAndCommas();
          String name = p.token();
          p.skipSpaces();
          if (name.isEmpty() || !p.consume('=')) { // the start of the next challenge, or the end
            p.pos = mark;
            break;
          }
          p.skipSpaces();
          if (p.atEnd()) throw new IllegalArgumentException("parameter " + name + " without a value");
          boolean quoted = p.peek() == '"';
          String value = quoted ? p.quoted() : p.token();
          if (!quoted && value.isEmpty()) throw new IllegalArgumentException("parameter " + name + " without a value");
          params.put(name.toLowerCase(Locale.ROOT), value);
          p.skipSpaces();
          if (p.atEnd()) break;
          if (p.peek() != ',') break;
        }
        out.add(new Challenge(scheme, params));
        if (p.pos == 0 || p.atEnd()) return out;
        if (p.peek() != ',' && p.peek() != ' ') return out;
      }
    } catch (IllegalArgumentException e) {
      return List.of();
    }
  }

  private static final class Parser {
    private final String s;
    int pos;

    Parser(String s) {
      this.s = s;
    }

    boolean atEnd() {
      return pos >= s.length();
    }

    char peek() {
      return s.charAt(pos);
    }

    boolean consume(char c) {
      if (!atEnd() && peek() == c) {
        pos++;
        return true;
      }
      return false;
    }

    void skipSpaces() {
      while (!atEnd() && (peek() == ' ' || peek() == '\t')) pos++;
    }

    void skipSpacesAndCommas() {
      while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == ',')) pos++;
    }

    /** An RFC 7230 token (plus {@code /} and {@code :} that registries put in unquoted scopes). */
    String token() {
      int start = pos;
      while (!atEnd() && isTokenChar(peek())) pos++;
      return s.substring(start, pos);
    }

    String quoted() {
      pos++; // opening quote
      StringBuilder b = new StringBuilder();
      while (true) {
        if (atEnd()) throw new IllegalArgumentException("unterminated quoted string");
        char c = s.charAt(pos++);
        if (c == '"') return b.toString();
        if (c == '\\') {
          if (atEnd()) throw new IllegalArgumentException("dangling escape");
          c = s.charAt(pos++);
        }
        b.append(c);
      }
    }

    private static boolean isTokenChar(char c) {
      return c > 32 && c < 127 && "\"(),;<=>?@[\\]{}".indexOf(c) < 0 || c == '/' || c == ':';
    }
  }
}
