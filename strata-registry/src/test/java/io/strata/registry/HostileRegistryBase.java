package io.strata.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.errdefs.StrataException;
import io.strata.oci.Digest;
import io.strata.oci.Platform;
import io.strata.oci.Reference;
import io.strata.store.FsckReport;
import io.strata.store.Store;
import io.strata.testkit.TarFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every hostile-registry test shares: a fake registry, a store, a client, and the two checks each
 * case ends with: the operation failed with one clear line, and the store is as clean as before.
 * Every test is bounded in time, so a client that hangs fails the test instead of the build.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class HostileRegistryBase {
  @TempDir Path tmp;
  FakeRegistry reg;
  Store store;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void openRegistryAndStore() {
    reg = new FakeRegistry();
    store = Store.open(tmp.resolve("store"));
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closing.reversed()) c.close();
    reg.close();
    store.close();
  }

  <T extends AutoCloseable> T closeLater(T c) {
    closing.add(c);
    return c;
  }

  RegistryClient client() {
    return client(null);
  }

  RegistryClient client(CredentialStore credentials) {
    return closeLater(new RegistryClient(reg.host(), RegistryOptions.defaults(), credentials));
  }

  Puller.Result pull(String ref) {
    return pull(client(), ref, LayerUnpacker.NONE);
  }

  Puller.Result pull(RegistryClient c, String ref, LayerUnpacker unpacker) {
    return new Puller(store, c, RegistryOptions.defaults(), unpacker, TransferProgress.QUIET)
        .pull(reg.ref(ref), Platform.current());
  }

  /** A credentials file holding {@link FakeRegistry#USER}'s password for this registry. */
  CredentialStore credentials() throws Exception {
    Path file = tmp.resolve("docker/config.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"auths\":{\"" + reg.host() + "\":{\"auth\":\"" + FakeRegistry.BASIC.substring(6) + "\"}}}");
    return new CredentialStore(file);
  }

  /** The one-line error rule: this kind, a short message on one line naming what it must name. */
  static <E extends StrataException> E assertOneLine(Class<E> kind, Executable op, String... mustContain) {
    E e = assertThrows(kind, op);
    assertOneLine(e, mustContain);
    return e;
  }

  static void assertOneLine(StrataException e, String... mustContain) {
    String m = e.getMessage();
    assertNotNull(m, "message");
    assertFalse(m.contains("\n") || m.contains("\r"), "one line: " + m);
    assertTrue(m.length() < 400, "short (" + m.length() + " chars): " + m);
    for (String s : mustContain) assertTrue(m.contains(s), "message names " + s + ": " + m);
  }

  /** Nothing recorded, nothing broken, none of {@code absent} stored. */
  void assertClean(Digest... absent) {
    assertClean(store, absent);
  }

  static void assertClean(Store store, Digest... absent) {
    FsckReport r = store.fsck().run();
    assertTrue(r.ok(), "fsck: " + r.problems());
    assertEquals(List.of(), store.images().list(), "images recorded");
    assertEquals(Map.of(), store.images().allTags(), "tags recorded");
    for (Digest d : absent) assertFalse(store.content().exists(d), "blob " + d + " stored");
  }

  /**
   * No download of {@code rejected} left in the store's ingest directory. (A transfer that fails for
   * want of bytes keeps its partial file on purpose, for the next pull to resume; bytes that were
   * verified and rejected must not be kept.)
   */
  void assertNoPartial(Digest... rejected) {
    for (Digest d : rejected) {
      assertFalse(Files.exists(store.root().resolve("ingest/partial-" + d.algorithm() + "-" + d.encoded())),
          "rejected download of " + d + " left behind");
    }
  }

  static byte[] tar(String name, String content) {
    return TarFixture.of(TarFixture.file(name, content, 0644)).bytes();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static Digest sha256(byte[] b) {
    return Digest.sha256(b);
  }

  static Reference ref(String s) {
    return Reference.parseNormalizedNamed(s);
  }
}
