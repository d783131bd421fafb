package io.strata.layer;

import com.github.luben.zstd.ZstdIOException;
import io.strata.errdefs.FailedPreconditionException;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.ResourceExhaustedException;
import io.strata.errdefs.StrataException;
import io.strata.sys.ErrnoException;
import io.strata.sys.Syscalls;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.zip.ZipException;

/** The state of one {@link LayerApplier#apply} call: the tar loop and per-entry dispatch. */
final class ApplyRun {
  private final RootPath root;
  private final ApplyOptions options;
  private final Unpacked unpacked;
  private final EntryWriter writer;
  private final WhiteoutHandler whiteouts;
  private final LinkedHashMap<Path, Instant> dirTimes = new LinkedHashMap<>(); // a repeated dir keeps its last mtime

  ApplyRun(Path root, ApplyOptions options) {
    this.root = new RootPath(root);
    this.options = options;
    this.unpacked = new Unpacked(root);
    this.writer = new EntryWriter(options);
    this.whiteouts = new WhiteoutHandler(this.root, unpacked, options.whiteouts());
  }

  ApplyResult run(InputStream uncompressed) throws IOException {
    LayerStream stream = new LayerStream(uncompressed, options.maxBytes());
    TarReader reader = new TarReader(stream);
    long entries = 0;
    String name = "";
    try {
      for (TarHeader h; (h = reader.next()) != null; ) {
        name = h.name();
        if (++entries > options.maxEntries()) {
          throw new ResourceExhaustedException(
              "layer entry " + Names.quote(name) + ": layer has more than " + options.maxEntries() + " entries");
        }
        apply(h, reader);
      }
      stream.drain();
    } catch (IOException e) {
      throw ioError(name, e);
    }
    finishDirectories();
    return new ApplyResult(stream.digest(), stream.count(), entries);
  }

  private void apply(TarHeader h, TarReader reader) throws IOException {
    List<String> parts = Names.entryPath(h.name());
    if (parts.isEmpty()) {
      if (h.isDir()) return; // "./": the root keeps its own metadata (containerd does the same)
      throw new InvalidArgumentException("layer entry " + Names.quote(h.name()) + ": cannot replace the root");
    }
    if (WhiteoutHandler.isWhiteout(parts.getLast())) {
      whiteouts.apply(h.name(), parts);
      return;
    }
    if (h.type() == TarHeader.Type.CHAR && h.devMajor() == 0 && h.devMinor() == 0) {
      return; // S13: overlayfs' whiteout form has no meaning in an OCI layer; never hide lower content
    }
    Path parent = root.parentOf(parts);
    if (options.whiteouts() == WhiteoutMode.OVERLAY) whiteouts.prepareParents(parent);
    else root.mkdirs(parent);
    Path path = parent.resolve(parts.getLast());
    Path linkSource = h.type() == TarHeader.Type.HARDLINK ? hardlinkSource(h) : null;
    if (!writer.create(h, path, linkSource, reader.body())) return;
    whiteouts.replaced(path, h.isDir());
    unpacked.add(path);
    writer.setMetadata(h, path);
    if (h.isDir()) dirTimes.put(path, h.mtime());
  }

  /**
   * The hardlink's target resolved inside the root (a final symlink is linked as itself); must
   * exist, in this layer or, unpacking for overlay, in a layer below (then it is copied up).
   */
  private Path hardlinkSource(TarHeader h) throws IOException {
    Path source = root.resolve(Names.split(h.linkName()), false);
    BasicFileAttributes a = RootPath.attrs(source);
    if (a == null && options.whiteouts() == WhiteoutMode.OVERLAY) {
      if (copyUp(Names.split(root.root().relativize(source).toString()), source)) a = RootPath.attrs(source);
    }
    if (a == null) {
      throw new InvalidArgumentException("layer entry " + Names.quote(h.name()) + ": hardlink target "
          + Names.quote(h.linkName()) + " does not exist in the layer root");
    }
    if (a.isDirectory()) {
      throw new InvalidArgumentException("layer entry " + Names.quote(h.name()) + ": hardlink target "
          + Names.quote(h.linkName()) + " is a directory");
    }
    return source;
  }

  /** Copies the topmost lower layer's file at {@code parts} to {@code target} in this layer; false when none has it. */
  private boolean copyUp(List<String> parts, Path target) throws IOException {
    for (Path lower : options.lowerDirs()) {
      Path found = new RootPath(lower).resolve(parts, false);
      BasicFileAttributes a = RootPath.attrs(found);
      if (a == null) continue;
      if (!a.isRegularFile()) return false; // a whiteout, directory or link: nothing to link to
      whiteouts.prepareParents(target.getParent());
      java.nio.file.Files.copy(found, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES,
          java.nio.file.LinkOption.NOFOLLOW_LINKS);
      java.util.Map<String, Object> owner = java.nio.file.Files.readAttributes(found, "unix:uid,gid",
          java.nio.file.LinkOption.NOFOLLOW_LINKS);
      if (options.privileged()) Syscalls.lchown(target, (Integer) owner.get("uid"), (Integer) owner.get("gid"));
      return true;
    }
    return false;
  }

  /** Directory mtimes last, deepest first, since creating their children changed them. */
  private void finishDirectories() {
    for (Map.Entry<Path, Instant> d : dirTimes.sequencedEntrySet().reversed()) {
      try {
        Syscalls.lutimes(d.getKey(), d.getValue(), d.getValue());
      } catch (ErrnoException e) {
        if (e.errno() != ErrnoException.ENOENT) { // ENOENT: replaced or whited out later in the layer
          throw ioError(root.root().relativize(d.getKey()).toString(), e);
        }
      }
    }
  }

  static StrataException ioError(String entry, IOException e) {
    String prefix = Names.entryPrefix(entry);
    if (e instanceof ZipException || e instanceof EOFException || e instanceof ZstdIOException) {
      return new InvalidArgumentException(prefix + "corrupt or truncated layer stream: " + e.getMessage(), e);
    }
    String msg = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
    if (e instanceof NotDirectoryException) msg = "not a directory";
    if (msg != null && msg.contains("No space left")) {
      return new ResourceExhaustedException(prefix + "no space left on device", e);
    }
    String where = e instanceof FileSystemException f && f.getFile() != null ? " (" + f.getFile() + ")" : "";
    return new FailedPreconditionException(prefix + e.getClass().getSimpleName() + ": " + msg + where, e);
  }
}
