package io.strata.layer;

import static io.strata.testkit.TarFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.ResourceExhaustedException;
import io.strata.errdefs.StrataException;
import io.strata.sys.ErrnoException;
import io.strata.sys.Syscalls;
import io.strata.testkit.TarFixture;
import io.strata.testkit.TreeSnapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The layer cases of SECURITY.md (S1–S18) as data, after containerd's {@code TestBreakouts}. Each
 * case names its lower layers and the hostile layer (built against the host paths of the test, so a
 * breakout would hit the sentinels), and the outcome: applied with everything clamped into the root,
 * or rejected with an error naming the entry. Every case then checks that nothing on the host changed.
 * Cases run through {@link LayerApplier} directly and, gzip-compressed, through {@link Flattener}.
 */
class MaliciousLayerTest {

  interface Check {
    void verify(HostSentinels env) throws Exception;
  }

  sealed interface Outcome {}

  record Applies(Check check) implements Outcome {}

  record Fails(Class<? extends StrataException> kind, String entry) implements Outcome {}

  record Case(String name, Function<HostSentinels, List<TarFixture>> layers, ApplyOptions options, Outcome outcome) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final ApplyOptions DEFAULTS = ApplyOptions.defaults();

  static Case applies(String name, Function<HostSentinels, List<TarFixture>> layers, Check check) {
    return new Case(name, layers, DEFAULTS, new Applies(check));
  }

  static Case fails(String name, Function<HostSentinels, List<TarFixture>> layers, Class<? extends StrataException> kind, String entry) {
    return new Case(name, layers, DEFAULTS, new Fails(kind, entry));
  }

  static List<TarFixture> one(TarFixture layer) {
    return List.of(layer);
  }

  static Stream<Case> cases() {
    return Stream.of(
        // S1: write through an absolute symlink lands inside the root
        applies("S1 symlink to /etc then write through it",
            env -> one(TarFixture.of(dir("etc", 0755), symlink("/etc", "localetc"), file("localetc/unbroken", "x", 0644))),
            env -> {
              assertTrue(Files.isRegularFile(env.root().resolve("etc/unbroken"), LinkOption.NOFOLLOW_LINKS));
              assertEquals("/etc", Files.readSymbolicLink(env.root().resolve("localetc")).toString());
            }),
        applies("S1 symlink to the host victim dir then write through it",
            env -> one(TarFixture.of(symlink(env.victim().toString(), "v"), file("v/planted", "x", 0644))),
            env -> assertTrue(Files.exists(inRoot(env, env.victim()).resolve("planted")))),
        // S2: names climbing out of the root are rejected, naming the entry
        fails("S2 ../pwned", env -> one(TarFixture.of(file("../pwned", "x", 0644))), InvalidArgumentException.class, "../pwned"),
        fails("S2 ../../pwned", env -> one(TarFixture.of(file("../../pwned", "x", 0644))), InvalidArgumentException.class, "../../pwned"),
        fails("S2 ..", env -> one(TarFixture.of(dir("..", 0777))), InvalidArgumentException.class, "\"..\""),
        fails("S2 /../x", env -> one(TarFixture.of(file("/../x", "x", 0644))), InvalidArgumentException.class, "/../x"),
        fails("S2 a/../../x", env -> one(TarFixture.of(dir("a", 0755), file("a/../../x", "x", 0644))), InvalidArgumentException.class, "a/../../x"),
        fails("S2 climbing name to the victim", env -> one(TarFixture.of(file("../victim/secret", "pwned", 0777))),
            InvalidArgumentException.class, "../victim/secret"),
        // S3: two-hop chain
        applies("S3 two-hop symlink chain",
            env -> one(TarFixture.of(dir("inner", 0755), symlink("..", "inner/go_up"), symlink("../victim", "inner/go_up/escape"),
                file("inner/go_up/escape/newfile", "x", 0644))),
            env -> {
              assertEquals("../victim", Files.readSymbolicLink(env.root().resolve("escape")).toString());
              assertTrue(Files.isRegularFile(env.root().resolve("victim/newfile")));
            }),
        // S4: sibling sharing the root's name prefix
        fails("S4 hardlink to the prefix sibling", env -> one(TarFixture.of(hardlink("../dest-evil/secret", "grab"))),
            InvalidArgumentException.class, "grab"),
        // S5: hardlinks to sensitive host files
        fails("S5 absolute hardlink to a host file", env -> one(TarFixture.of(hardlink(env.victim().resolve("secret").toString(), "localsecret"))),
            InvalidArgumentException.class, "localsecret"),
        applies("S5 absolute hardlink to /etc/shadow resolves in the root",
            env -> List.of(TarFixture.of(dir("etc", 0755), file("etc/shadow", "in-root shadow", 0640)),
                TarFixture.of(hardlink("/etc/shadow", "localpasswd"))),
            env -> assertSameFile(env.root().resolve("localpasswd"), env.root().resolve("etc/shadow"))),
        applies("S5 climbing hardlink to /etc/shadow resolves in the root",
            env -> List.of(TarFixture.of(dir("etc", 0755), file("etc/shadow", "in-root shadow", 0640)),
                TarFixture.of(hardlink("../../../../../etc/shadow", "x"))),
            env -> assertSameFile(env.root().resolve("x"), env.root().resolve("etc/shadow"))),
        applies("S5 hardlink through a climbing symlink",
            env -> List.of(TarFixture.of(dir("etc", 0755), file("etc/passwd", "root:x:0:0", 0644)),
                TarFixture.of(symlink("../../etc", "d1"), hardlink("d1/passwd", "mypasswd"))),
            env -> assertSameFile(env.root().resolve("mypasswd"), env.root().resolve("etc/passwd"))),
        // S6: CVE-2021-32760, a hardlink to a symlink, then chmod
        applies("S6 hardlink to a symlink pointing at a 0400 host file",
            env -> one(TarFixture.of(symlink(env.victim().resolve("perm400").toString(), "ext"), hardlink("ext", "sketchy").withMode(0777))),
            env -> {
              assertTrue(Files.isSymbolicLink(env.root().resolve("sketchy")));
              assertSameFile(env.root().resolve("sketchy"), env.root().resolve("ext"));
            }),
        // S8: cross-layer symlinks
        applies("S8 lower symlink out, upper writes through it",
            env -> List.of(TarFixture.of(symlink("../../../../victim/sub", "x")), TarFixture.of(file("x/authorized_keys", "ssh-rsa", 0600))),
            env -> assertTrue(Files.isRegularFile(env.root().resolve("victim/sub/authorized_keys")))),
        applies("S8 etc -> / with a deep relative symlink still unpacks",
            env -> List.of(TarFixture.of(symlink("/", "etc")),
                TarFixture.of(symlink("../../../../../../../../etc/ssl/certs/java/cacerts", "usr/lib/jvm/lib/security/cacerts"),
                    file("etc/ssl/certs/java/cacerts", "certs", 0644))),
            env -> {
              assertEquals("../../../../../../../../etc/ssl/certs/java/cacerts",
                  Files.readSymbolicLink(env.root().resolve("usr/lib/jvm/lib/security/cacerts")).toString());
              assertEquals("certs", Files.readString(env.root().resolve("ssl/certs/java/cacerts")));
            }),
        // S9: directory replaced by a symlink and back
        applies("S9 directory replaced by a symlink to /etc, hardlink through it",
            env -> List.of(TarFixture.of(dir("localetc", 0755), file("localetc/old", "o", 0644), dir("etc", 0755), file("etc/passwd", "p", 0644)),
                TarFixture.of(symlink("/etc", "localetc"), hardlink("/etc/passwd", "localetc/localpasswd"))),
            env -> {
              assertTrue(Files.isSymbolicLink(env.root().resolve("localetc")));
              assertSameFile(env.root().resolve("etc/localpasswd"), env.root().resolve("etc/passwd"));
            }),
        applies("S9 symlink replaced by a directory",
            env -> List.of(TarFixture.of(dir("etc", 0755), symlink("etc", "localetc")),
                TarFixture.of(dir("localetc", 0700), file("localetc/f", "f", 0644))),
            env -> {
              assertTrue(Files.isDirectory(env.root().resolve("localetc"), LinkOption.NOFOLLOW_LINKS));
              assertTrue(Files.exists(env.root().resolve("localetc/f")));
              assertFalse(Files.exists(env.root().resolve("etc/f")));
            }),
        // S10: whiteouts of the parent or the root
        fails("S10 .wh.. (whiteout root)", env -> List.of(lowerEtc(), TarFixture.of(whiteout("."))), InvalidArgumentException.class, ".wh.."),
        fails("S10 etc/.wh... (whiteout parent)", env -> List.of(lowerEtc(), TarFixture.of(file("etc/.wh...", "", 0644))),
            InvalidArgumentException.class, "etc/.wh..."),
        fails("S10 .wh... (whiteout root parent)", env -> List.of(lowerEtc(), TarFixture.of(file(".wh...", "", 0644))),
            InvalidArgumentException.class, ".wh..."),
        // S11: whiteout through a symlinked parent
        applies("S11 whiteout through a symlinked parent stays in the root",
            env -> List.of(TarFixture.of(symlink("/etc", "localetc"), dir("etc", 0755), file("etc/whitedout", "w", 0644), file("etc/kept", "k", 0644)),
                TarFixture.of(whiteout("localetc/whitedout"))),
            env -> {
              assertFalse(Files.exists(env.root().resolve("etc/whitedout")));
              assertTrue(Files.exists(env.root().resolve("etc/kept")));
            }),
        applies("S11 whiteout through a symlink to the host victim",
            env -> List.of(TarFixture.of(symlink(env.victim().toString(), "v"), symlink("../victim/sub", "w")),
                TarFixture.of(whiteout("v/secret"), whiteout("w/keep"), opaque("w"))),
            env -> assertTrue(Files.isSymbolicLink(env.root().resolve("v")))),
        // S12: opaque marker after its sibling
        applies("S12 opaque marker after a sibling keeps the sibling",
            env -> List.of(TarFixture.of(dir("a", 0755), file("a/secret", "s", 0600)),
                TarFixture.of(dir("a", 0755), file("a/new", "n", 0644), opaque("a"))),
            env -> assertEquals(List.of("a", "a/new"), List.copyOf(TreeSnapshot.of(env.root()).entries().keySet()))),
        // S13: overlay-format smuggling
        applies("S13 char device 0:0 over etc is dropped",
            env -> List.of(lowerEtc(), TarFixture.of(charDev("etc", 0, 0, 0644), charDev("etc/passwd", 0, 0, 0644))),
            env -> assertEquals("root:x:0:0\n", Files.readString(env.root().resolve("etc/passwd")))),
        applies("S13 overlay opaque xattrs are dropped",
            env -> List.of(lowerEtc(), TarFixture.of(dir("etc", 0755).withXattr("trusted.overlay.opaque", "y")
                .withXattr("user.overlay.opaque", "y").withXattr("user.kept", "yes"))),
            env -> {
              Path etc = env.root().resolve("etc");
              assertEquals("root:x:0:0\n", Files.readString(etc.resolve("passwd")));
              assertNoXattr(etc, "trusted.overlay.opaque");
              assertNoXattr(etc, "user.overlay.opaque");
              assertEquals("yes", new String(Syscalls.lgetxattr(etc, "user.kept")));
            }),
        // S14: devices
        applies("S14 devices and fifo when privileged",
            env -> one(TarFixture.of(blockDev("disk", 8, 0, 0660), charDev("mem", 1, 1, 0640), charDev("null", 1, 3, 0666), fifo("fifo", 0600))),
            env -> {
              MetadataTest.requireRoot();
              var s = TreeSnapshot.of(env.root()).entries();
              assertEquals(new TreeSnapshot.TreeEntry(TreeSnapshot.Type.BLOCK, 0660, 0, 0, 0, null, "8:0"), s.get("disk"));
              assertEquals(new TreeSnapshot.TreeEntry(TreeSnapshot.Type.CHAR, 0640, 0, 0, 0, null, "1:1"), s.get("mem"));
              assertEquals(new TreeSnapshot.TreeEntry(TreeSnapshot.Type.CHAR, 0666, 0, 0, 0, null, "1:3"), s.get("null"));
              assertEquals(TreeSnapshot.Type.FIFO, s.get("fifo").type());
            }),
        new Case("S14 devices skipped when unprivileged",
            env -> one(TarFixture.of(blockDev("disk", 8, 0, 0660), charDev("mem", 1, 1, 0640), fifo("fifo", 0600))),
            DEFAULTS.withPrivileged(false),
            new Applies(env -> assertEquals(List.of("fifo"), List.copyOf(TreeSnapshot.of(env.root()).entries().keySet())))),
        // uid 2^32 must not wrap to 0 in lchown (class of S30)
        fails("uid 2^32 does not wrap to root", env -> one(TarFixture.of(file("rootme", "x", 04755).withPax("uid", "4294967296"))),
            InvalidArgumentException.class, "rootme"),
        // S16: invalid names
        fails("S16 empty name", env -> one(TarFixture.of(file("", "x", 0644))), InvalidArgumentException.class, "\"\""),
        fails("S16 . as a file", env -> one(TarFixture.of(file(".", "x", 0644))), InvalidArgumentException.class, "\".\""),
        applies("S16 . and / as directories are the root",
            env -> one(TarFixture.of(dir(".", 0700), dir("/", 0700), file("f", "x", 0644))),
            env -> assertEquals(List.of("f"), List.copyOf(TreeSnapshot.of(env.root()).entries().keySet()))),
        applies("S16 a//b and a/./b are one canonical name",
            env -> one(TarFixture.of(file("a//b", "first", 0644), file("a/./b", "second", 0644))),
            env -> {
              assertEquals(List.of("a", "a/b"), List.copyOf(TreeSnapshot.of(env.root()).entries().keySet()));
              assertEquals("second", Files.readString(env.root().resolve("a/b")));
            }),
        fails("S16 non-utf-8 name", env -> one(TarFixture.of(file("x", "x", 0644).withRawName(new byte[] {'a', (byte) 0xff, 'b'}))),
            InvalidArgumentException.class, "layer entry"),
        fails("S16 5000-char name", env -> one(TarFixture.of(file("n".repeat(5000), "x", 0644))), ResourceExhaustedException.class, "nnnn"),
        fails("S16 pax path with a nul inside", env -> one(TarFixture.of(file("innocent", "x", 0644).withPax("path", "etc/passwd\0.txt"))),
            InvalidArgumentException.class, "etc/passwd\\x00.txt"),
        applies("S16 gnu long name contradicting pax: pax wins",
            env -> one(TarFixture.of(file("header-name", "x", 0644).withGnuLongName("gnu-name").withPax("path", "pax-name"))),
            env -> assertEquals(List.of("pax-name"), List.copyOf(TreeSnapshot.of(env.root()).entries().keySet()))),
        // S17: decompression bombs and lying sizes
        new Case("S17 gzip of zeros past maxBytes",
            env -> one(TarFixture.of(file("zeros", new byte[8 << 20], 0644))), DEFAULTS.withMaxBytes(1 << 20),
            new Fails(ResourceExhaustedException.class, "zeros")),
        new Case("S17 zeros after the end blocks count too",
            env -> one(TarFixture.of(file("small", "x", 0644)).withTrailingBytes(new byte[4 << 20])), DEFAULTS.withMaxBytes(1 << 20),
            new Fails(ResourceExhaustedException.class, "layer exceeds 1048576")),
        fails("S17 huge declared size with a short body", env -> one(TarFixture.of(file("sparse", "tiny", 0644).withDeclaredSize(1L << 40))),
            InvalidArgumentException.class, "sparse"),
        new Case("S17 too many entries",
            env -> one(TarFixture.of(file("a", "", 0644), file("b", "", 0644), file("c", "", 0644))), DEFAULTS.withMaxEntries(2),
            new Fails(ResourceExhaustedException.class, "\"c\"")),
        // S18: header DoS
        fails("S18 2 MiB pax header", env -> one(TarFixture.of(file("big-pax", "x", 0644).withPax("comment", new byte[2 << 20]))),
            ResourceExhaustedException.class, "big-pax"),
        fails("S18 gnu sparse entry", env -> one(TarFixture.of(raw('S', "sparse-map", new byte[512]))), InvalidArgumentException.class, "sparse-map"),
        fails("S18 pax gnu sparse map", env -> one(TarFixture.of(file("s", "x", 0644).withPax("GNU.sparse.map", "0,999999999999"))),
            InvalidArgumentException.class, "\"s\""),
        fails("S18 pax record length past the header", env -> one(TarFixture.of(
                raw('x', "PaxHeaders/m", "99999 path=elsewhere\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)), file("m", "x", 0644))),
            InvalidArgumentException.class, "PaxHeaders/m"),
        fails("S18 pax record without a key", env -> one(TarFixture.of(
                raw('x', "PaxHeaders/k", "8 =abcd\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)), file("k", "x", 0644))),
            InvalidArgumentException.class, "malformed pax header"));
  }

  private static TarFixture lowerEtc() {
    return TarFixture.of(dir("etc", 0755), file("etc/passwd", "root:x:0:0\n", 0644));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void layerApplier(Case c, @TempDir Path tmp) throws Exception {
    HostSentinels env = HostSentinels.create(tmp);
    List<TarFixture> layers = c.layers().apply(env);
    LayerApplier applier = new LayerApplier();
    for (TarFixture lower : layers.subList(0, layers.size() - 1)) {
      applier.apply(lower.stream(), env.root(), c.options());
    }
    InputStream top = gzip(layers.getLast().bytes());
    check(c, env, () -> applier.apply(top, env.root(), c.options()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void flattener(Case c, @TempDir Path tmp) throws Exception {
    HostSentinels env = HostSentinels.create(tmp);
    List<Supplier<InputStream>> layers = new ArrayList<>();
    for (TarFixture f : c.layers().apply(env)) {
      byte[] gz = gzip(f.bytes()).readAllBytes();
      layers.add(() -> new ByteArrayInputStream(gz));
    }
    check(c, env, () -> new Flattener().flatten(layers, env.root(), c.options()));
  }

  /**
   * As the overlay snapshotter unpacks: every layer into an empty directory of its own, whiteouts
   * as devices and xattrs. The host stays untouched and a hostile layer is refused the same way;
   * the merged view is the kernel's, so the flattened-view checks do not apply here.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void overlayUnpack(Case c, @TempDir Path tmp, @TempDir Path lowers) throws Exception {
    HostSentinels env = HostSentinels.create(tmp);
    List<TarFixture> layers = c.layers().apply(env);
    Runnable unpackAll = () -> {
      List<Path> below = new ArrayList<>();
      for (int i = 0; i < layers.size(); i++) {
        Path dir = i == layers.size() - 1 ? env.root() : lowers.resolve("lower-" + i);
        ApplyOptions options = c.options().withWhiteouts(WhiteoutMode.OVERLAY).withLowerDirs(below.reversed());
        below.add(dir);
        try {
          Files.createDirectories(dir);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        new LayerApplier().apply(layers.get(i).stream(), dir, options);
      }
    };
    switch (c.outcome()) {
      case Applies a -> unpackAll.run();
      case Fails f -> assertInstanceOf(f.kind(), assertThrows(StrataException.class, unpackAll::run));
    }
    env.assertUntouched();
  }

  private static void check(Case c, HostSentinels env, Runnable apply) throws Exception {
    switch (c.outcome()) {
      case Applies a -> {
        apply.run();
        env.assertUntouched();
        a.check().verify(env);
      }
      case Fails f -> {
        StrataException e = assertThrows(StrataException.class, apply::run);
        env.assertUntouched();
        assertInstanceOf(f.kind(), e, e.toString());
        assertTrue(e.getMessage().contains(f.entry()), "message names the entry: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one-line message");
      }
    }
  }

  static InputStream gzip(byte[] tar) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(tar);
    }
    return new ByteArrayInputStream(out.toByteArray());
  }

  /** Where a host absolute path lands when clamped into the root. */
  static Path inRoot(HostSentinels env, Path hostPath) {
    return env.root().resolve(hostPath.toString().substring(1));
  }

  static void assertSameFile(Path a, Path b) throws IOException {
    assertEquals(Files.getAttribute(b, "unix:ino", LinkOption.NOFOLLOW_LINKS),
        Files.getAttribute(a, "unix:ino", LinkOption.NOFOLLOW_LINKS), a + " and " + b + " are one inode");
  }

  static void assertNoXattr(Path p, String name) {
    ErrnoException e = assertThrows(ErrnoException.class, () -> Syscalls.lgetxattr(p, name));
    assertEquals(61, e.errno(), "ENODATA for " + name);
  }
}
