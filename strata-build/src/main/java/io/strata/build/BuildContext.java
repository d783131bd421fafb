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
  private final PatternMatcher ignore;
  private final ContentHashes hashes;

  BuildContext(Path root, Path dockerfile, io.strata.store.Store store) {
    try {
      this.root = root.toRealPath();
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
    return !p.equals(root) && ignore.matches(root.relativize(p).toString());
  }

  /**
   * Digest of the sources as COPY would copy them: names, types, modes, link targets and bytes;
   * not mtimes. Files are looked at in parallel (the stat cache makes most of them a stat), then
   * hashed in their sorted order.
   */
  String digest(List<Path> sources) {
    Digester d = Digester.sha256();
    try {
      for (Path s : sources) {
        List<Path> tree;
        try (Stream<Path> w = Files.isDirectory(s, LinkOption.NOFOLLOW_LINKS) ? Files.walk(s) : Stream.of(s)) {
          tree = w.filter(p -> p.equals(s) || !ignored(p)).sorted().toList();
        }
        List<String> lines = tree.parallelStream().map(this::describe).toList();
        for (String line : lines) d.update(line.getBytes(StandardCharsets.UTF_8));
      }
      hashes.save();
    } catch (IOException e) {
      throw new UncheckedIOException("hash build context", e);
    }
    return d.digest().toString();
  }

  /** One path's part of the digest: its name, mode, and link target or content digest. */
  private String describe(Path p) {
    try {
      Map<String, Object> a = Files.readAttributes(p, "unix:mode,size,lastModifiedTime,ino", LinkOption.NOFOLLOW_LINKS);
      int mode = (Integer) a.get("mode");
      String what = switch (mode & 0170000) {
        case 0120000 -> Files.readSymbolicLink(p).toString();
        case 0100000 -> hashes.digest(p, a);
        default -> "";
      };
      String name = p.startsWith(root) ? root.relativize(p).toString() : p.getFileName().toString(); // a download
      return name + "\0" + Integer.toOctalString(mode) + "\0" + what + "\0";
    } catch (IOException e) {
      throw new UncheckedIOException("hash " + p, e);
    }
  }
}
