package io.strata.registry;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Challenge#parse}: RFC 7235 challenges as registries send them, and malformed ones (no guess, no crash). */
@Timeout(10)
class ChallengeTest {

  @Test
  void bearerAndBasicInOneHeader() {
    List<Challenge> cs = Challenge.parse(
        "Bearer realm=\"x\",service=\"y\",scope=\"repository:a:pull\" , Basic realm=\"z\"");
    assertEquals(List.of(new Challenge("bearer", Map.of("realm", "x", "service", "y", "scope", "repository:a:pull")),
        new Challenge("basic", Map.of("realm", "z"))), cs);
  }

  @Test
  void dockerHubChallenge() {
    List<Challenge> cs = Challenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
        + "scope=\"repository:library/busybox:pull\"");
    assertEquals(1, cs.size());
    assertEquals("https://auth.docker.io/token", cs.get(0).param("realm"));
    assertEquals("registry.docker.io", cs.get(0).param("service"));
    assertEquals("repository:library/busybox:pull", cs.get(0).param("scope"));
  }

  @Test
  void schemeAndParameterNamesAreCaseInsensitiveValuesAreNot() {
    Challenge c = Challenge.parse("BEARER Realm=\"https://Auth.example/Token\"").get(0);
    assertEquals("bearer", c.scheme());
    assertEquals("https://Auth.example/Token", c.param("realm"));
  }

  @Test
  void quotedStringsKeepCommasSpacesAndEscapes() {
    Challenge c = Challenge.parse("Bearer realm=\"a,b c\",scope=\"repository:a:pull repository:b:pull\",error=\"say \\\"hi\\\"\"").get(0);
    assertEquals("a,b c", c.param("realm"));
    assertEquals("repository:a:pull repository:b:pull", c.param("scope"));
    assertEquals("say \"hi\"", c.param("error"));
  }

  @Test
  void unquotedTokenValues() {
    Challenge c = Challenge.parse("Bearer realm=https://auth.example/token,service=registry.example").get(0);
    assertEquals("https://auth.example/token", c.param("realm"));
    assertEquals("registry.example", c.param("service"));
  }

  @Test
  void basicAloneAndLeadingOrTrailingCommas() {
    assertEquals(List.of(new Challenge("basic", Map.of("realm", "Registry Realm"))), Challenge.parse("Basic realm=\"Registry Realm\""));
    assertEquals(1, Challenge.parse(" , Bearer realm=\"x\", ").size());
    assertEquals(List.of(new Challenge("basic", Map.of())), Challenge.parse("Basic"));
  }

  @Test
  void twoChallengesWithoutParametersBetween() {
    List<Challenge> cs = Challenge.parse("Negotiate, Basic realm=\"r\"");
    assertEquals(2, cs.size());
    assertEquals("negotiate", cs.get(0).scheme());
    assertEquals("r", cs.get(1).param("realm"));
  }

  /** A malformed header yields no challenge (never a half-parsed guess) and never an exception. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "Bearer realm=\"https://auth.example/token",
      "Bearer realm=\"x\",service=\"unterminated",
      "Bearer realm=\"x\\",
      "=\"x\"",
      "\"quoted\" realm=\"x\"",
      "Bearer realm=",
      "Bearer realm = ",
      "Bearer realm=\"x\",scope=",
  })
  void malformedYieldsNothing(String header) {
    List<Challenge> cs = assertDoesNotThrow(() -> Challenge.parse(header));
    assertEquals(List.of(), cs, "from " + header);
  }

  @Test
  void oversizedHeaderYieldsNothing() {
    String big = "Bearer realm=\"https://auth.example/token\",service=\"" + "s".repeat(9000) + "\"";
    assertEquals(List.of(), Challenge.parse(big));
    assertEquals(List.of(), Challenge.parse(null));
    assertEquals(List.of(), Challenge.parse(""));
  }

  /** Long but legal: parsing is linear, no backtracking blow-up. */
  @Test
  void manyParametersParseQuickly() {
    StringBuilder h = new StringBuilder("Bearer realm=\"r\"");
    while (h.length() < 8000) h.append(",k").append(h.length()).append("=\"v\"");
    long t0 = System.nanoTime();
    for (int i = 0; i < 200; i++) assertEquals("r", Challenge.parse(h.toString()).get(0).param("realm"));
    assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() < 5000);
    String commas = "Bearer " + ",".repeat(8000);
    assertDoesNotThrow(() -> Challenge.parse(commas));
  }
}
