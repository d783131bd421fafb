package io.strata.layer;

import static io.strata.testkit.TarFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.strata.testkit.TarFixture;
import io.strata.testkit.TreeSnapshot;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Whiteouts and opaque directories across two layers: the resulting listing is overlay's. */
class WhiteoutTest {

  record Case(String name, TarFixture lower, TarFixture upper, List<String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final TarFixture LOWER = TarFixture.of(
      dir("a", 0755), file("a/secret", "s", 0600), dir("a/sub", 0755), file("a/sub/deep", "d", 0644),
      dir("b", 0755), file("b/keep", "k", 0644), file("top", "t", 0644), symlink("a", "link"));

  static Stream<Case> cases() {
    return Stream.of(
        new Case("whiteout a file", LOWER, TarFixture.of(whiteout("a/secret")),
            List.of("a", "a/sub", "a/sub/deep", "b", "b/keep", "link", "top")),
        new Case("whiteout a directory removes its tree", LOWER, TarFixture.of(whiteout("a")),
            List.of("b", "b/keep", "link", "top")),
        new Case("whiteout a symlink removes the link, not its target", LOWER, TarFixture.of(whiteout("link")),
            List.of("a", "a/secret", "a/sub", "a/sub/deep", "b", "b/keep", "top")),
        new Case("whiteout of a missing name is a no-op", LOWER, TarFixture.of(whiteout("nothing"), whiteout("b/nothing")),
            List.of("a", "a/secret", "a/sub", "a/sub/deep", "b", "b/keep", "link", "top")),
        new Case("whiteout then re-create in the same layer", LOWER, TarFixture.of(whiteout("top"), dir("top", 0755)),
            List.of("a", "a/secret", "a/sub", "a/sub/deep", "b", "b/keep", "link", "top")),
        new Case("opaque before new content", LOWER, TarFixture.of(dir("a", 0755), opaque("a"), file("a/new", "n", 0644)),
            List.of("a", "a/new", "b", "b/keep", "link", "top")),
        new Case("S12 opaque after new content", LOWER, TarFixture.of(dir("a", 0755), file("a/new", "n", 0644), opaque("a")),
            List.of("a", "a/new", "b", "b/keep", "link", "top")),
        new Case("opaque keeps same-layer dirs but hides their lower content", LOWER,
            TarFixture.of(file("a/sub/fresh", "f", 0644), opaque("a")),
            List.of("a", "a/sub", "a/sub/fresh", "b", "b/keep", "link", "top")),
        new Case("opaque through a symlinked directory", LOWER, TarFixture.of(opaque("link")),
            List.of("a", "b", "b/keep", "link", "top")),
        new Case("opaque root", LOWER, TarFixture.of(file("only", "o", 0644), opaque("")),
            List.of("only")),
        new Case("same-layer whiteout does not hide a same-layer file", LOWER,
            TarFixture.of(file("b/new", "n", 0644), whiteout("b/new")),
            List.of("a", "a/secret", "a/sub", "a/sub/deep", "b", "b/keep", "b/new", "link", "top")),
        new Case("file replaces a directory", LOWER, TarFixture.of(file("a", "now a file", 0644)),
            List.of("a", "b", "b/keep", "link", "top")),
        new Case("directory over a directory merges", LOWER, TarFixture.of(dir("b", 0700), file("b/more", "m", 0644)),
            List.of("a", "a/secret", "a/sub", "a/sub/deep", "b", "b/keep", "b/more", "link", "top")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void overlaySemantics(Case c, @TempDir Path root) {
    LayerApplier applier = new LayerApplier();
    applier.apply(c.lower().stream(), root, ApplyOptions.defaults());
    applier.apply(c.upper().stream(), root, ApplyOptions.defaults());
    assertEquals(c.expected(), List.copyOf(TreeSnapshot.of(root).entries().keySet()));
  }
}
