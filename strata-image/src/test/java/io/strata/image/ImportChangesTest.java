package io.strata.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.oci.ContainerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code -c} instructions and the word splitting and globbing beneath them. */
class ImportChangesTest {
  private static ContainerConfig apply(String... changes) {
    return ImportChanges.apply(ContainerConfig.empty(), List.of(changes));
  }

  @Test
  void jsonAndShellForms() {
    assertEquals(List.of("/bin/app", "--flag"), apply("CMD [\"/bin/app\", \"--flag\"]").cmd());
    assertEquals(List.of("/bin/sh", "-c", "echo $HOME"), apply("cmd echo $HOME").cmd(), "keywords are case-insensitive");
    assertEquals(List.of("/bin/sh", "-c", "[not json"), apply("ENTRYPOINT [not json").entrypoint());
    assertEquals(List.of("/bin/sh", "-c", "[1, 2]"), apply("CMD [1, 2]").cmd(), "non-string arrays are shell form");
  }

  @Test
  void envReplacesKeysAndKeepsOrder() {
    ContainerConfig c = apply("ENV A=1 B=2", "ENV A=3", "ENV LEGACY some value", "ENV Q='single quoted' E=a\\ b");
    assertEquals(List.of("A=3", "B=2", "LEGACY=some value", "Q=single quoted", "E=a b"), c.env());
  }

  @Test
  void portsVolumesLabelsWorkdir() {
    ContainerConfig c = apply("EXPOSE 8000-8002/udp", "VOLUME [\"/a\", \"/b\"]", "VOLUME /c /d",
        "LABEL \"com.example.x\"=\"1 2\" y=z", "WORKDIR /srv", "WORKDIR ../up");
    assertEquals(3, c.exposedPorts().size());
    assertTrue(c.exposedPorts().containsKey("8001/udp"));
    assertEquals(List.of("/a", "/b", "/c", "/d"), List.copyOf(c.volumes().keySet()));
    assertEquals(Map.of("com.example.x", "1 2", "y", "z"), c.labels());
    assertEquals("/up", c.workingDir(), "cleaned like filepath.Join");
  }

  @Test
  void badChangesAreRefusedWithTheChangeNamed() {
    for (String bad : List.of("RUN true", "CMD", "EXPOSE 99999", "EXPOSE 80/xyz", "ENV =x", "LABEL a=\"open")) {
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> apply(bad), bad);
      assertFalse(e.getMessage().contains("\n"));
    }
  }

  @Test
  void globFollowsGoPathMatch() {
    assertTrue(ReferenceGlob.compile("busy*").matches("busybox:latest"));
    assertFalse(ReferenceGlob.compile("*").matches("library/busybox"));
    assertTrue(ReferenceGlob.compile("a?c").matches("abc"));
    assertFalse(ReferenceGlob.compile("a?c").matches("a/c"));
    assertTrue(ReferenceGlob.compile("a\\*").matches("a*"));
    assertTrue(ReferenceGlob.compile("[^x]b").matches("ab"));
    assertFalse(ReferenceGlob.compile("[^x]b").matches("/b"));
  }
}
