package io.strata.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** File-system helpers for crash-safe writes: private directories and directory fsync. */
final class DurableFiles {
  static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> READ_ONLY = PosixFilePermissions.fromString("r--r--r--");

  private DurableFiles() {}

  /** Creates {@code dir} and missing parents with mode 0700 (storage must not be traversable, S15). */
  static Path privateDirs(Path dir) throws IOException {
    if (Files.isDirectory(dir)) return dir;
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) privateDirs(parent);
    try {
      Files.createDirectory(dir, dirAttribute());
    } catch (java.nio.file.FileAlreadyExistsException raced) {
      if (!Files.isDirectory(dir)) throw raced;
    }
    return dir;
  }

  static FileAttribute<Set<PosixFilePermission>> dirAttribute() {
    return PosixFilePermissions.asFileAttribute(PRIVATE_DIR);
  }

  static FileAttribute<Set<PosixFilePermission>> fileAttribute() {
    return PosixFilePermissions.asFileAttribute(PRIVATE_FILE);
  }

  /** Makes a rename or unlink in {@code dir} durable. */
  static void syncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
