package io.strata.registry.server;

import io.strata.oci.Digest;
import io.strata.oci.Digester;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The registry's storage in a directory (the default):
 * <pre>
 *   blobs/ALG/XX/HEX                                   content, manifests included
 *   repositories/NAME/_layers/ALG/HEX                 a blob NAME can see (empty file; its time is the link's)
 *   repositories/NAME/_manifests/revisions/ALG/HEX    a manifest of NAME (holds its media type)
 *   repositories/NAME/_manifests/tags/TAG             holds the manifest digest
 *   repositories/NAME/_manifests/referrers/ALG/SUBJECT/ALG/HEX   a manifest whose subject is SUBJECT
 *   _uploads/ID/{info,data}                           upload sessions
 *   _tmp/                                             blobs being verified
 * </pre>
 * Everything is written to a temporary name and renamed into place, so every file is whole. Names
 * are checked by the grammar before they reach a path, and the underscore that starts every
 * directory of strata's own cannot start a repository name's component.
 */
final class FilesystemStorage implements RegistryStorage {
  private final Path root;
  private final Path blobs;
  private final Path repositories;
  private final Path uploads;
  private final Path tmp;
  /** Running hashes of uploads this process is appending to (another process's are re-read at commit). */
  private final Map<String, Running> hashes = new ConcurrentHashMap<>();

  private record Running(long size, Digester sha256) {}

  /**
   * Per session, the requests of this process writing to it, one at a time: a {@link FileLock} keeps
   * other processes out but is held by the whole JVM, so a second lock from this process would throw
   * OverlappingFileLockException rather than wait. Entries go when their last user does.
   */
  private final Map<String, SessionLock> sessionLocks = new ConcurrentHashMap<>();

  private static final class SessionLock {
    final ReentrantLock lock = new ReentrantLock();
    int users; // changed only inside the map's compute
  }

  @FunctionalInterface
  private interface SessionWork<T> {
    T run() throws IOException;
  }

  FilesystemStorage(Path root) throws IOException {
    this.root = root;
    this.blobs = Files.createDirectories(root.resolve("blobs"));
    this.repositories = Files.createDirectories(root.resolve("repositories"));
    this.uploads = Files.createDirectories(root.resolve("_uploads"));
    this.tmp = Files.createDirectories(root.resolve("_tmp"));
  }

  Path root() {
    return root;
  }

  private Path blob(Digest d) {
    d.requireSupported();
    return blobs.resolve(d.algorithm()).resolve(d.encoded().substring(0, 2)).resolve(d.encoded());
  }

  private Path repo(String name) {
    return repositories.resolve(RepositoryName.check(name));
  }

  private static Path under(Path dir, Digest d) {
    d.requireSupported();
    return dir.resolve(d.algorithm()).resolve(d.encoded());
  }

  @Override
  public Optional<Long> blobSize(Digest digest) throws IOException {
    try {
      return Optional.of(Files.size(blob(digest)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public InputStream readBlob(Digest digest, long offset, long length) throws IOException {
    FileChannel ch = FileChannel.open(blob(digest), StandardOpenOption.READ);
    ch.position(offset);
    InputStream in = Channels.newInputStream(ch);
    return length < 0 ? in : new Bounded(in, length);
  }

  @Override
  public long putBlob(InputStream in, Digest expected, long expectedSize) throws IOException {
    Path temp = Files.createTempFile(tmp, "put-", ".tmp");
    try {
      Digester hash = Digester.forDigest(expected.requireSupported());
      long n = copy(in, temp, hash, expectedSize, false);
      verify(hash, expected, n, expectedSize);
      publish(temp, expected);
      return n;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public void deleteBlob(Digest digest) throws IOException {
    Files.deleteIfExists(blob(digest));
  }

  @Override
  public void forEachBlob(Consumer<BlobEntry> visitor) throws IOException {
    for (Path alg : list(blobs)) {
      for (Path prefix : list(alg)) {
        for (Path f : list(prefix)) {
          Digest d;
          try {
            d = new Digest(alg.getFileName().toString(), f.getFileName().toString());
          } catch (RuntimeException notABlob) {
            continue;
          }
          BasicFileAttributes a = attrs(f);
          if (a != null) visitor.accept(new BlobEntry(d, a.size(), a.lastModifiedTime().toInstant()));
        }
      }
    }
  }

  @Override
  public boolean isLinked(String repo, Digest blob) {
    return Files.exists(under(repo(repo).resolve("_layers"), blob));
  }

  @Override
  public void link(String repo, Digest blob) throws IOException {
    writeSmall(under(repo(repo).resolve("_layers"), blob), new byte[0]);
  }

  @Override
  public void unlink(String repo, Digest blob) throws IOException {
    Files.deleteIfExists(under(repo(repo).resolve("_layers"), blob));
  }

  @Override
  public List<BlobEntry> links(String repo) throws IOException {
    List<BlobEntry> out = new ArrayList<>();
    for (Path alg : list(repo(repo).resolve("_layers"))) {
      for (Path f : list(alg)) {
        BasicFileAttributes a = attrs(f);
        if (a != null) out.add(new BlobEntry(new Digest(alg.getFileName().toString(), f.getFileName().toString()), 0,
            a.lastModifiedTime().toInstant()));
      }
    }
    return out;
  }

  @Override
  public Optional<String> manifestType(String repo, Digest manifest) throws IOException {
    try {
      return Optional.of(Files.readString(under(repo(repo).resolve("_manifests/revisions"), manifest)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public void linkManifest(String repo, Digest manifest, String mediaType) throws IOException {
    writeSmall(under(repo(repo).resolve("_manifests/revisions"), manifest), mediaType.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void unlinkManifest(String repo, Digest manifest) throws IOException {
    Files.deleteIfExists(under(repo(repo).resolve("_manifests/revisions"), manifest));
  }

  @Override
  public List<BlobEntry> manifests(String repo) throws IOException {
    List<BlobEntry> out = new ArrayList<>();
    for (Path alg : list(repo(repo).resolve("_manifests/revisions"))) {
      for (Path f : list(alg)) {
        BasicFileAttributes a = attrs(f);
        if (a != null) out.add(new BlobEntry(new Digest(alg.getFileName().toString(), f.getFileName().toString()), 0,
            a.lastModifiedTime().toInstant()));
      }
    }
    return out;
  }

  @Override
  public Optional<Digest> tag(String repo, String tag) throws IOException {
    try {
      return Optional.of(Digest.parse(Files.readString(repo(repo).resolve("_manifests/tags").resolve(checkTag(tag))).strip()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public void putTag(String repo, String tag, Digest manifest) throws IOException {
    writeSmall(repo(repo).resolve("_manifests/tags").resolve(checkTag(tag)), manifest.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean deleteTag(String repo, String tag) throws IOException {
    return Files.deleteIfExists(repo(repo).resolve("_manifests/tags").resolve(checkTag(tag)));
  }

  @Override
  public List<String> tags(String repo) throws IOException {
    return list(repo(repo).resolve("_manifests/tags")).stream().map(p -> p.getFileName().toString())
        .filter(RepositoryName::isTag).sorted().toList();
  }

  @Override
  public List<String> repositories() throws IOException {
    List<String> out = new ArrayList<>();
    findRepositories(repositories, out);
    out.sort(null);
    return out;
  }

  /**
   * A repository is a directory holding a {@code _manifests} or {@code _layers} directory whose path
   * is a valid name. Directories starting with {@code _} are strata's own, never part of a name, and
   * are not descended into: a tag file named {@code _layers} (in {@code NAME/_manifests/tags}) makes
   * no repository.
   */
  private void findRepositories(Path dir, List<String> out) throws IOException {
    boolean isRepo = false;
    for (Path p : list(dir)) {
      String n = p.getFileName().toString();
      if (!Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
      if (n.equals("_manifests") || n.equals("_layers")) {
        isRepo = true;
      } else if (!n.startsWith("_")) {
        findRepositories(p, out);
      }
    }
    if (isRepo && !dir.equals(repositories)) {
      String name = repositories.relativize(dir).toString().replace(java.io.File.separatorChar, '/');
      if (RepositoryName.isName(name)) out.add(name);
    }
  }

  @Override
  public void addReferrer(String repo, Digest subject, Digest manifest) throws IOException {
    writeSmall(under(under(repo(repo).resolve("_manifests/referrers"), subject), manifest), new byte[0]);
  }

  @Override
  public List<Digest> referrers(String repo, Digest subject) throws IOException {
    List<Digest> out = new ArrayList<>();
    for (Path alg : list(under(repo(repo).resolve("_manifests/referrers"), subject))) {
      for (Path f : list(alg)) out.add(new Digest(alg.getFileName().toString(), f.getFileName().toString()));
    }
    out.sort(null);
    return out;
  }

  @Override
  public Upload startUpload(String repo) throws IOException {
    RepositoryName.check(repo);
    String id = UUID.randomUUID().toString();
    Path dir = Files.createDirectory(uploads.resolve(id));
    Instant now = Instant.now();
    Files.createFile(dir.resolve("data"));
    writeSmall(dir.resolve("info"), (repo + "\n" + now.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
    return new Upload(id, repo, 0, now);
  }

  @Override
  public Optional<Upload> upload(String id) throws IOException {
    if (!id.matches("[0-9a-f-]{36}")) return Optional.empty();
    Path dir = uploads.resolve(id);
    try {
      String[] info = Files.readString(dir.resolve("info")).split("\n");
      return Optional.of(new Upload(id, info[0], Files.size(dir.resolve("data")), Instant.ofEpochMilli(Long.parseLong(info[1]))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public long append(String id, long offset, InputStream in, long maxLength) throws IOException {
    return inSession(id, () -> appendLocked(id, offset, in, maxLength));
  }

  private long appendLocked(String id, long offset, InputStream in, long maxLength) throws IOException {
    Path data = dataOf(id);
    try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
      long size = ch.size();
      if (offset != size) {
        throw new RegistryError(RegistryError.Code.RANGE_INVALID, 416, "upload holds " + size + " bytes, not " + offset);
      }
      Running r = hashes.get(id);
      Digester hash = r != null && r.size() == size ? r.sha256() : rehash(data, size);
      ch.position(size);
      long n = copy(in, Channels.newOutputStream(ch), hash, maxLength);
      if (maxLength >= 0 && n != maxLength) {
        ch.truncate(size); // a chunk shorter than it said is not taken
        hashes.remove(id);
        throw new RegistryError(RegistryError.Code.SIZE_INVALID, "the chunk has " + n + " bytes, not " + maxLength);
      }
      hashes.put(id, new Running(size + n, hash));
      return size + n;
    }
  }

  @Override
  public long commitUpload(String id, Digest expected) throws IOException {
    return inSession(id, () -> commitLocked(id, expected));
  }

  private long commitLocked(String id, Digest expected) throws IOException {
    Path data = dataOf(id);
    long size;
    Digester hash;
    try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
      size = ch.size();
      Running r = hashes.remove(id);
      hash = expected.algorithm().equals(Digest.SHA256) && r != null && r.size() == size ? r.sha256()
          : rehash(data, size, Digester.forDigest(expected.requireSupported()));
      verify(hash, expected, size, -1);
      ch.force(true);
      publish(data, expected);
    }
    cancelUpload(id);
    return size;
  }

  @Override
  public void cancelUpload(String id) throws IOException {
    hashes.remove(id);
    Path dir = uploads.resolve(id);
    Files.deleteIfExists(dir.resolve("data"));
    Files.deleteIfExists(dir.resolve("info"));
    deleteDirectory(dir);
  }

  /** A session's directory and whatever is left in it (a temporary file a crash left, say). */
  private static void deleteDirectory(Path dir) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) Files.deleteIfExists(p);
    } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
      // gone already, or a stray file
    }
    Files.deleteIfExists(dir);
  }

  @Override
  public List<String> removeStaleUploads(Instant cutoff, boolean dryRun) throws IOException {
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(uploads)) {
      for (Path dir : ds) {
        Instant last = lastWrite(dir);
        if (last == null || !last.isBefore(cutoff)) continue;
        String id = dir.getFileName().toString();
        out.add("_uploads/" + id);
        if (!dryRun) {
          hashes.remove(id);
          deleteDirectory(dir);
        }
      }
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
      for (Path f : ds) {
        BasicFileAttributes a = attrs(f);
        if (a == null || !a.lastModifiedTime().toInstant().isBefore(cutoff)) continue;
        out.add("_tmp/" + f.getFileName());
        if (!dryRun) Files.deleteIfExists(f);
      }
    }
    out.sort(null);
    return out;
  }

  /**
   * When a session was last written: its files' newest time (appending moves the data file's), or the
   * directory's when a crash left it without files.
   */
  private static Instant lastWrite(Path dir) throws IOException {
    BasicFileAttributes d = attrs(dir);
    if (d == null) return null;
    if (!d.isDirectory()) return d.lastModifiedTime().toInstant();
    Instant last = null;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        BasicFileAttributes a = attrs(p);
        if (a != null && (last == null || a.lastModifiedTime().toInstant().isAfter(last))) last = a.lastModifiedTime().toInstant();
      }
    } catch (NoSuchFileException e) {
      return null;
    }
    return last != null ? last : d.lastModifiedTime().toInstant();
  }

  private <T> T inSession(String id, SessionWork<T> work) throws IOException {
    SessionLock l = sessionLocks.compute(id, (k, v) -> {
      SessionLock n = v == null ? new SessionLock() : v;
      n.users++;
      return n;
    });
    l.lock.lock();
    try {
      return work.run();
    } finally {
      l.lock.unlock();
      sessionLocks.computeIfPresent(id, (k, v) -> --v.users == 0 ? null : v);
    }
  }

  @Override
  public List<Upload> uploads() throws IOException {
    List<Upload> out = new ArrayList<>();
    for (Path p : list(uploads)) upload(p.getFileName().toString()).ifPresent(out::add);
    return out;
  }

  private Path dataOf(String id) throws IOException {
    if (upload(id).isEmpty()) throw new RegistryError(RegistryError.Code.BLOB_UPLOAD_UNKNOWN, "upload unknown");
    return uploads.resolve(id).resolve("data");
  }

  private static String checkTag(String tag) {
    if (!RepositoryName.isTag(tag)) throw new RegistryError(RegistryError.Code.MANIFEST_INVALID, "invalid tag");
    return tag;
  }

  /**
   * Renames a verified file to its blob's path, durably. A blob already there is kept, and its time
   * refreshed: content stored again is as young as new content to gc's grace period.
   */
  private void publish(Path verified, Digest d) throws IOException {
    Path target = blob(d);
    Files.createDirectories(target.getParent());
    if (Files.exists(target)) {
      try {
        Files.setLastModifiedTime(target, java.nio.file.attribute.FileTime.from(Instant.now()));
        return;
      } catch (NoSuchFileException collected) {
        // gc deleted it meanwhile: store it again
      }
    }
    Files.move(verified, target, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void verify(Digester hash, Digest expected, long size, long expectedSize) {
    if (expectedSize >= 0 && size != expectedSize) {
      throw new RegistryError(RegistryError.Code.SIZE_INVALID, "size mismatch: " + size + " bytes, expected " + expectedSize);
    }
    Digest actual = hash.digest();
    if (!actual.equals(expected)) {
      throw new RegistryError(RegistryError.Code.DIGEST_INVALID, "digest mismatch: the content is " + actual);
    }
  }

  private static Digester rehash(Path data, long size) throws IOException {
    return rehash(data, size, Digester.sha256());
  }

  private static Digester rehash(Path data, long size, Digester hash) throws IOException {
    try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate(1 << 20);
      for (long pos = 0; pos < size; ) {
        buf.clear().limit((int) Math.min(buf.capacity(), size - pos));
        int n = ch.read(buf, pos);
        if (n < 0) break;
        buf.flip();
        hash.update(buf);
        pos += n;
      }
    }
    return hash;
  }

  /** Copies at most {@code max} bytes (one more is read to tell "too long"); returns the count. */
  private static long copy(InputStream in, Path file, Digester hash, long max, boolean append) throws IOException {
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
      return copy(in, out, hash, max);
    }
  }

  private static long copy(InputStream in, OutputStream out, Digester hash, long max) throws IOException {
    byte[] buf = new byte[256 * 1024];
    long n = 0;
    long limit = max < 0 ? Long.MAX_VALUE : max + 1;
    while (n < limit) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, limit - n));
      if (r < 0) break;
      out.write(buf, 0, r);
      hash.update(buf, 0, r);
      n += r;
    }
    out.flush();
    return n;
  }

  private static void writeSmall(Path file, byte[] content) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.write(temp, content);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (FileAlreadyExistsException e) {
      // a concurrent writer put the same thing
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static List<Path> list(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) if (!p.getFileName().toString().startsWith(".")) out.add(p);
    } catch (NoSuchFileException e) {
      return out;
    }
    return out;
  }

  private static BasicFileAttributes attrs(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  @Override
  public void close() {}

  /** At most {@code left} bytes of a stream. */
  static final class Bounded extends java.io.FilterInputStream {
    private long left;

    Bounded(InputStream in, long left) {
      super(in);
      this.left = left;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) return -1;
      int b = super.read();
      if (b >= 0) left--;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) return -1;
      int n = super.read(b, off, (int) Math.min(len, left));
      if (n > 0) left -= n;
      return n;
    }
  }
}
