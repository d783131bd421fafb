package io.strata.layer;

import io.strata.errdefs.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * OCI whiteouts (image-spec layer.md#whiteouts): {@code .wh.NAME} removes NAME from the lower
 * layers, {@code .wh..wh..opq} hides everything the lower layers put in its directory. Neither
 * touches what this same layer unpacked, whatever the order of entries (S12), and neither follows
 * a final symlink: the parent is resolved inside the root, the victim is removed as itself (S11).
 */
final class WhiteoutHandler {
  static final String PREFIX = ".wh.";
  static final String OPAQUE = ".wh..wh..opq";

  private final RootPath root;
  private final Unpacked unpacked;

  WhiteoutHandler(RootPath root, Unpacked unpacked) {
    this.root = root;
    this.unpacked = unpacked;
  }

  static boolean isWhiteout(String base) {
    return base.startsWith(PREFIX);
  }

  /** Applies the whiteout entry whose cleaned name is {@code components} (last one starts with .wh.). */
  void apply(String entryName, List<String> components) throws IOException {
    String base = components.getLast();
    List<String> parent = components.subList(0, components.size() - 1);
    if (base.equals(OPAQUE)) {
      Path dir = root.resolve(parent, true);
      BasicFileAttributes a = RootPath.attrs(dir);
      if (a != null && a.isDirectory()) clearLower(dir);
      return;
    }
    String victim = base.substring(PREFIX.length());
    if (victim.isEmpty() || victim.equals(".") || victim.equals("..")) {
      // S10: .wh.. and .wh... would remove the directory itself or its parent
      throw new InvalidArgumentException("layer entry " + Names.quote(entryName) + ": invalid whiteout: names its own directory or parent");
    }
    Path target = root.resolve(parent, true).resolve(victim);
    if (!unpacked.contains(target)) {
      EntryWriter.delete(target);
    }
  }

  /** Removes from {@code dir} every path neither unpacked by this layer nor above something that was. */
  private void clearLower(Path dir) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(children::add);
    }
    for (Path child : children) {
      if (unpacked.contains(child) || unpacked.isAncestor(child)) {
        BasicFileAttributes a = RootPath.attrs(child);
        if (a != null && a.isDirectory()) clearLower(child); // a same-layer directory hides lower content too
      } else {
        EntryWriter.delete(child);
      }
    }
  }
}
