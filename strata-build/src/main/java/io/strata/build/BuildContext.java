package io.strata.build;

import io.strata.build.ignore.IgnoreFile;
import io.strata.build.ignore.PatternMatcher;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.oci.Digester;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The build context: a directory and its {@code .dockerignore}. Sources of COPY and ADD resolve
 * inside it (a {@code ..} or an absolute path never leaves it, S35); an ignored file does not exist
 * for the build. Also the content digest of sources for the layer cache.
 */
final class BuildContext {
  private final Path root;
  private final String rootPrefix; // root + "/"
  private final PatternMatcher ignore;
  private final ContentHashes hashes;

  BuildContext(Path root, Path dockerfile, io.strata.store.Store store) {
    try {
      this.root = root.toRealPath();
      this.rootPrefix = this.root.toString().endsWith("/") ? this.root.toString() : this.root + "/";
      Path specific = dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore");
      Path general = this.root.resolve(".dockerignore");
      Path file = Files.isRegularFile(specific) ? specific : general;
      this.ignore = new PatternMatcher(Files.isRegularFile(file) ? IgnoreFile.read(Files.readString(file)) : List.of());
      this.hashes = new ContentHashes(store, this.root);
    } catch (IOException e) {
      throw new InvalidArgumentException("build context " + root + ": " + e.getMessage());
    }
  }

  Path root() {
    return root;
  }

  /**
   * The context paths a source names: the cleaned path (never above the context root), or for a
   * pattern with {@code * ? [} every non-ignored path it matches. None found is an error.
   */
  List<Path> resolve(String source, int line) {
    String clean = clean(source);
    List<Path> found = new ArrayList<>();
    if (clean.chars().anyMatch(c -> c == '*' || c == '?' || c == '[')) {
      PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + clean);
      try (Stream<Path> all = Files.walk(root)) {
        all.filter(p -> !p.equals(root)).filter(p -> m.matches(root.relativize(p)) && !ignored(p)).sorted().forEach(found::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      Path p;
      try {
        // symlinks on the way resolve inside the context, never to the host (S35); a final one is copied as itself
        p = clean.isEmpty() ? root : io.strata.layer.InRoot.resolveNoFollow(root, clean);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && (p.equals(root) || !ignored(p))) found.add(p);
    }
    if (found.isEmpty()) {
      throw new InvalidArgumentException("Dockerfile:" + line + ": failed to compute cache key: \"" + source
          + "\" not found in the build context or excluded by .dockerignore");
    }
    return found;
  }

  /** Lexically cleaned, relative to the root; {@code ..} stops at the root as in Docker. */
  private static String clean(String source) {
    return io.strata.layer.InRoot.clean(source).substring(1);
  }

  boolean ignored(Path p) {
    return !ignore.isEmpty() && !p.equals(root) && ignore.matches(root.relativize(p).toString());
  }

  /**
   * Digest of the sources as COPY would copy them: names, types, modes, link targets and bytes;
   * not mtimes. The trees are walked in parallel with one stat per path (the stat cache makes most
   * files just that stat), then hashed in sorted path order.
   */
  String digest(List<Path> sources) {
    Digester d = Digester.sha256();
    try {
      for (Path s : sources) {
        var found = new java.util.concurrent.ConcurrentLinkedQueue<Map.Entry<Path, Map<String, Object>>>();
        Map<String, Object> top = Files.readAttributes(s, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        found.add(Map.entry(s, top));
        if (isDirectory(top)) java.util.concurrent.ForkJoinPool.commonPool().invoke(new Walk(s, found));
        List<Map.Entry<Path, Map<String, Object>>> tree = found.stream()
            .filter(e -> e.getKey().equals(s) || !ignored(e.getKey())).sorted(Map.Entry.comparingByKey()).toList();
        List<String> lines = tree.parallelStream().map(e -> describe(e.getKey(), e.getValue())).toList();
        d.update(String.join("", lines).getBytes(StandardCharsets.UTF_8)); // one update: the same bytes, one call
      }
    } catch (IOException e) {
      throw new UncheckedIOException("hash build context", e);
    }
    hashes.save();
    return d.digest().toString();
  }

  private static final String ATTRIBUTES = "unix:mode,size,lastModifiedTime,ino";

  private static boolean isDirectory(Map<String, Object> attributes) {
    return ((Integer) attributes.get("mode") & 0170000) == 0040000;
  }

  /** One directory of a walk: its entries are stat'ed here, its sub-directories walked as forks. */
  private static final class Walk extends java.util.concurrent.RecursiveAction {
    private final Path dir;
    private final java.util.Collection<Map.Entry<Path, Map<String, Object>>> out;

    Walk(Path dir, java.util.Collection<Map.Entry<Path, Map<String, Object>>> out) {
      this.dir = dir;
      this.out = out;
    }

    @Override
    protected void compute() {
      List<Walk> subdirs = new ArrayList<>();
      try (var entries = Files.newDirectoryStream(dir)) {
        for (Path p : entries) {
          Map<String, Object> a = Files.readAttributes(p, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
          out.add(Map.entry(p, a));
          if (isDirectory(a)) subdirs.add(new Walk(p, out));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("walk " + dir, e);
      }
      invokeAll(subdirs);
    }
  }

  /** One path's part of the digest: its name, mode, and link target or content digest. */
  private String describe(Path p, Map<String, Object> a) {
    try {
      int mode = (Integer) a.get("mode");
      String what = switch (mode & 0170000) {
        case 0120000 -> Files.readSymbolicLink(p).toString();
        case 0100000 -> hashes.digest(p, a);
        default -> "";
      };
      String path = p.toString();
      String name = p.startsWith(root) ? (path.length() > rootPrefix.length() ? path.substring(rootPrefix.length()) : "")
          : p.getFileName().toString(); // a download
      return name + "\0" + Integer.toOctalString(mode) + "\0" + what + "\0";
    } catch (IOException e) {
      throw new UncheckedIOException("hash " + p, e);
    }
  }
}
