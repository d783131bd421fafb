package io.strata.runtime;

import static io.strata.testkit.TarFixture.symlink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.errdefs.StrataException;
import io.strata.image.ImageService;
import io.strata.oci.Digest;
import io.strata.snapshot.Change;
import io.strata.snapshot.Mounter;
import io.strata.testkit.HostRequirements;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CVE-2018-15664 class (issue 13, part 2): a running container swaps a directory for a symlink to
 * {@code /} in a loop while strata copies into and out of it, exports, diffs and commits it. In the
 * host's view the symlink leads to a sentinel directory of the host; nothing may ever be created
 * there and none of its bytes or names may come out.
 */
class CopyRaceTest {
  private static final String HOST_SECRET = "HOST-SECRET-5f1c";
  private static final String HOST_NAME = "host-only-name-9d2e";

  @TempDir Path tmp;
  private ImageService images;
  private Containers containers;
  private Path sentinel;

  @BeforeEach
  void setUp() throws IOException {
    HostRequirements.containers();
    images = ImageService.open(tmp.resolve("store"));
    containers = Containers.open(images, "overlay");
    sentinel = Files.createDirectories(tmp.resolve("sentinel"));
    Files.writeString(sentinel.resolve("secret"), HOST_SECRET);
    Files.writeString(sentinel.resolve(HOST_NAME), HOST_SECRET);
    Fixtures.busybox(images, "bb:race", List.of(), List.of(symlink("/", "link")));
  }

  @AfterEach
  void tearDown() throws IOException {
    if (containers == null) return;
    for (Container c : containers.list()) containers.remove(c.id(), true);
    assertEquals(List.of(), Mounter.mountedUnder(tmp), "no mount is left behind");
    images.close();
    try (Stream<Path> s = Files.list(sentinel)) {
      assertEquals(List.of(HOST_NAME, "secret"), s.map(p -> p.getFileName().toString()).sorted().toList(),
          "nothing was created in the host's sentinel directory");
    }
  }

  /** /dir/SENTINEL/secret in the container; /dir is swapped for a link to / (the host's /, if followed by name) in a loop. */
  private Container swapper() {
    String inside = "/dir" + sentinel;
    String script = "mkdir -p " + inside + " && echo container > " + inside + "/secret && touch /ready && "
        + "while :; do mv /dir /dir.real; ln -s / /dir; rm /dir; mv /dir.real /dir; done";
    Container c = containers.start(containers.create(Fixtures.request("bb:race", "sh", "-c", script)).id());
    for (int i = 0; i < 200 && !readyIn(c); i++) sleep(25);
    assertTrue(readyIn(c), "the swap loop started");
    return c;
  }

  private boolean readyIn(Container c) {
    try {
      containers.copies().copyOut(c.id(), "/ready", Files.createDirectories(tmp.resolve("probe")));
      return true;
    } catch (StrataException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void copiesIntoAndOutOfARunningContainerNeverReachTheHost() throws IOException {
    Container c = swapper();
    Path payload = Files.writeString(tmp.resolve("payload"), "from the host\n");
    String dir = "/dir" + sentinel + "/";
    int in = 0;
    int out = 0;
    for (int i = 0; i < 500; i++) {
      try {
        containers.copies().copyIn(payload, c.id(), dir);
        in++;
      } catch (StrataException | UncheckedIOException e) {
        // the directory was a link or missing at that instant: refused, which is fine
      }
    }
    Path outDir = Files.createDirectories(tmp.resolve("out"));
    for (int i = 0; i < 500; i++) {
      Path dest = outDir.resolve("secret-" + i);
      try {
        containers.copies().copyOut(c.id(), dir + "secret", dest);
        out++;
        assertEquals("container\n", Files.readString(dest), "copy " + i + " read the container's file, never the host's");
      } catch (StrataException | UncheckedIOException e) {
        // as above
      }
    }
    assertTrue(in >= 25 && out >= 25, "enough copies went through to mean something: in " + in + ", out " + out);
  }

  @Test
  void exportDiffAndCommitOfARunningContainerNeverReadTheHost() throws IOException {
    Container c = swapper();
    for (int i = 0; i < 30; i++) {
      ByteArrayOutputStream tar = new ByteArrayOutputStream();
      try {
        containers.export(c.id(), tar);
      } catch (UncheckedIOException e) {
        continue; // a file changed while it was read: an error, never the host's bytes
      }
      assertNoHostBytes(tar.toByteArray(), "export " + i);
      String deepest = "/dir" + sentinel + "/secret";
      for (Change change : containers.diff(c.id())) {
        String p = change.path();
        assertTrue(!p.startsWith("/dir/") || deepest.startsWith(p), "diff " + i + " lists a host path: " + p);
      }
    }
    for (int i = 0; i < 5; i++) {
      Digest image;
      try {
        image = containers.commit(c.id(), new Containers.CommitOptions(null, null, List.of(), false, null));
      } catch (UncheckedIOException e) {
        continue;
      }
      ByteArrayOutputStream tar = new ByteArrayOutputStream();
      images.export(image.toString(), tar);
      assertNoHostBytes(tar.toByteArray(), "commit " + i);
    }
  }

  @Test
  void aStoppedContainersLinksResolveInsideItsRoot() throws IOException {
    Container c = containers.create(Fixtures.request("bb:race", "true"));
    Path payload = Files.writeString(tmp.resolve("payload"), "x");
    // /link -> / : /link/SENTINEL is the container's own (missing) path, never the host's directory
    assertThrows(StrataException.class, () -> containers.copies().copyIn(payload, c.id(), "/link" + sentinel + "/"));
    assertThrows(StrataException.class, () -> containers.copies().copyIn(payload, c.id(), "/link" + sentinel + "/p"));
    Path out = Files.createDirectories(tmp.resolve("out"));
    assertThrows(StrataException.class, () -> containers.copies().copyOut(c.id(), "/link" + sentinel + "/secret", out));
    assertEquals(List.of(), Files.list(out).toList());
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    containers.export(c.id(), tar);
    assertNoHostBytes(tar.toByteArray(), "export of the stopped container");
    // and a copy through the link lands inside the container
    containers.copies().copyIn(payload, c.id(), "/link/tmp/");
    assertTrue(containers.diff(c.id()).contains(new Change(Change.Kind.ADDED, "/tmp/payload")));
  }

  private static void assertNoHostBytes(byte[] tar, String what) {
    String text = new String(tar, StandardCharsets.ISO_8859_1);
    assertFalse(text.contains(HOST_SECRET), what + " holds the host's bytes");
    assertFalse(text.contains(HOST_NAME), what + " holds a host file's name");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
