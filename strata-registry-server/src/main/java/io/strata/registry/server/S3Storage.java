package io.strata.registry.server;

import io.strata.oci.Digest;
import io.strata.oci.Digester;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The registry's storage in an S3 bucket (under a prefix), the same layout as {@link FilesystemStorage}
 * as object keys. Several registry processes may share a bucket: all state, upload sessions
 * included, is in it. An upload's chunks are objects of their own ({@code _uploads/ID/chunks/OFFSET});
 * committing streams them in order into the blob's key as a multipart upload while hashing, and
 * completes it only when the digest matches, so the blob appears whole or not at all. Parts are
 * buffered {@link #PART_BYTES} at a time, a bounded number at once ({@link #BUFFERS}): the heap
 * never holds a blob. The first {@link #SMALL_BYTES} of every write are staged in small chunks
 * as they arrive ({@link StagedHead}), so a manifest, a config or a small chunk needs no part
 * buffer, and clients that stall early (or many slow ones) hold only the bytes they sent.
 */
final class S3Storage implements RegistryStorage {
  static final int PART_BYTES = 8 << 20;
  static final int BUFFERS = 16;
  static final int SMALL_BYTES = 1 << 20;
  /** How long a write waits for a part buffer or staging memory before it is answered 429. */
  static final java.time.Duration WAIT = java.time.Duration.ofSeconds(30);

  private final S3Client s3;
  private final S3Presigner presigner;
  private final String bucket;
  private final String prefix;
  private final Semaphore buffers = new Semaphore(BUFFERS);
  private final Semaphore staging = new Semaphore(StagedHead.BUDGET_CHUNKS);

  private S3Storage(S3Client s3, S3Presigner presigner, String bucket, String prefix) {
    this.s3 = s3;
    this.presigner = presigner;
    this.bucket = bucket;
    this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
  }

  static S3Storage open(RegistryConfig.S3 c) {
    AwsCredentialsProvider creds = c.accessKey() != null
        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(c.accessKey(), c.secretKey()))
        : DefaultCredentialsProvider.builder().build();
    S3Configuration conf = S3Configuration.builder().pathStyleAccessEnabled(c.pathStyle()).checksumValidationEnabled(false)
        .build();
    var b = S3Client.builder().region(Region.of(c.region())).credentialsProvider(creds).serviceConfiguration(conf)
        .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMinutes(5)));
    var p = S3Presigner.builder().region(Region.of(c.region())).credentialsProvider(creds).serviceConfiguration(conf);
    if (c.endpoint() != null) {
      b.endpointOverride(c.endpoint());
      p.endpointOverride(c.endpoint());
    }
    return new S3Storage(b.build(), p.build(), c.bucket(), c.prefix());
  }

  private String blobKey(Digest d) {
    d.requireSupported();
    return prefix + "blobs/" + d.algorithm() + "/" + d.encoded();
  }

  private String repo(String name) {
    return prefix + "repositories/" + RepositoryName.check(name) + "/";
  }

  private static String under(Digest d) {
    d.requireSupported();
    return d.algorithm() + "/" + d.encoded();
  }

  @Override
  public Optional<Long> blobSize(Digest digest) {
    return size(blobKey(digest));
  }

  private Optional<Long> size(String key) {
    try {
      return Optional.of(s3.headObject(r -> r.bucket(bucket).key(key)).contentLength());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) return Optional.empty();
      throw e;
    }
  }

  @Override
  public InputStream readBlob(Digest digest, long offset, long length) {
    if (length == 0) return InputStream.nullInputStream(); // "bytes=0--1" is no range: S3 would refuse it
    String range = "bytes=" + offset + "-" + (length < 0 ? "" : Long.toString(offset + length - 1));
    return s3.getObject(r -> r.bucket(bucket).key(blobKey(digest)).range(offset == 0 && length < 0 ? null : range));
  }

  @Override
  public Optional<URI> blobRedirect(Digest digest) {
    var signed = presigner.presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(20))
        .getObjectRequest(g -> g.bucket(bucket).key(blobKey(digest))));
    try {
      return Optional.of(signed.url().toURI());
    } catch (java.net.URISyntaxException e) {
      return Optional.empty();
    }
  }

  @Override
  public long putBlob(InputStream in, Digest expected, long expectedSize) throws IOException {
    Digester hash = Digester.forDigest(expected.requireSupported());
    return write(blobKey(expected), in, expectedSize, hash, n -> verify(hash, expected, n, expectedSize));
  }

  @Override
  public void deleteBlob(Digest digest) {
    s3.deleteObject(r -> r.bucket(bucket).key(blobKey(digest)));
  }

  @Override
  public void forEachBlob(Consumer<BlobEntry> visitor) {
    for (S3Object o : objects(prefix + "blobs/")) {
      String[] parts = o.key().substring((prefix + "blobs/").length()).split("/");
      if (parts.length != 2) continue;
      try {
        visitor.accept(new BlobEntry(new Digest(parts[0], parts[1]), o.size(), o.lastModified()));
      } catch (RuntimeException notABlob) {
        // a stray key
      }
    }
  }

  @Override
  public boolean isLinked(String repo, Digest blob) {
    return size(repo(repo) + "_layers/" + under(blob)).isPresent();
  }

  @Override
  public void link(String repo, Digest blob) {
    putSmall(repo(repo) + "_layers/" + under(blob), new byte[0]);
  }

  @Override
  public void unlink(String repo, Digest blob) {
    s3.deleteObject(r -> r.bucket(bucket).key(repo(repo) + "_layers/" + under(blob)));
  }

  @Override
  public List<BlobEntry> links(String repo) {
    List<BlobEntry> out = new ArrayList<>();
    String base = repo(repo) + "_layers/";
    for (S3Object o : objects(base)) {
      String[] parts = o.key().substring(base.length()).split("/");
      if (parts.length == 2) out.add(new BlobEntry(new Digest(parts[0], parts[1]), 0, o.lastModified()));
    }
    return out;
  }

  @Override
  public Optional<String> manifestType(String repo, Digest manifest) {
    return getSmall(repo(repo) + "_manifests/revisions/" + under(manifest));
  }

  @Override
  public void linkManifest(String repo, Digest manifest, String mediaType) {
    putSmall(repo(repo) + "_manifests/revisions/" + under(manifest), mediaType.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void unlinkManifest(String repo, Digest manifest) {
    s3.deleteObject(r -> r.bucket(bucket).key(repo(repo) + "_manifests/revisions/" + under(manifest)));
  }

  @Override
  public List<BlobEntry> manifests(String repo) {
    List<BlobEntry> out = new ArrayList<>();
    String base = repo(repo) + "_manifests/revisions/";
    for (S3Object o : objects(base)) {
      String[] parts = o.key().substring(base.length()).split("/");
      if (parts.length == 2) out.add(new BlobEntry(new Digest(parts[0], parts[1]), 0, o.lastModified()));
    }
    return out;
  }

  @Override
  public Optional<Digest> tag(String repo, String tag) {
    return getSmall(repo(repo) + "_manifests/tags/" + checkTag(tag)).map(s -> Digest.parse(s.strip()));
  }

  @Override
  public void putTag(String repo, String tag, Digest manifest) {
    putSmall(repo(repo) + "_manifests/tags/" + checkTag(tag), manifest.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean deleteTag(String repo, String tag) {
    String key = repo(repo) + "_manifests/tags/" + checkTag(tag);
    if (size(key).isEmpty()) return false;
    s3.deleteObject(r -> r.bucket(bucket).key(key));
    return true;
  }

  @Override
  public List<String> tags(String repo) {
    String base = repo(repo) + "_manifests/tags/";
    return objects(base).stream().map(o -> o.key().substring(base.length())).filter(RepositoryName::isTag).sorted().toList();
  }

  @Override
  public List<String> repositories() {
    TreeSet<String> out = new TreeSet<>();
    String base = prefix + "repositories/";
    for (S3Object o : objects(base)) {
      String rest = o.key().substring(base.length());
      int at = rest.indexOf("/_");
      if (at > 0 && RepositoryName.isName(rest.substring(0, at))) out.add(rest.substring(0, at));
    }
    return new ArrayList<>(out);
  }

  @Override
  public void addReferrer(String repo, Digest subject, Digest manifest) {
    putSmall(repo(repo) + "_manifests/referrers/" + under(subject) + "/" + under(manifest), new byte[0]);
  }

  @Override
  public List<Digest> referrers(String repo, Digest subject) {
    List<Digest> out = new ArrayList<>();
    String base = repo(repo) + "_manifests/referrers/" + under(subject) + "/";
    for (S3Object o : objects(base)) {
      String[] parts = o.key().substring(base.length()).split("/");
      if (parts.length == 2) out.add(new Digest(parts[0], parts[1]));
    }
    out.sort(null);
    return out;
  }

  @Override
  public Upload startUpload(String repo) {
    RepositoryName.check(repo);
    String id = UUID.randomUUID().toString();
    Instant now = Instant.now();
    putSmall(prefix + "_uploads/" + id + "/info", (repo + "\n" + now.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
    return new Upload(id, repo, 0, now);
  }

  @Override
  public Optional<Upload> upload(String id) {
    if (!id.matches("[0-9a-f-]{36}")) return Optional.empty();
    Optional<String> info = getSmall(prefix + "_uploads/" + id + "/info");
    if (info.isEmpty()) return Optional.empty();
    String[] f = info.get().split("\n");
    long size = chunks(id).stream().mapToLong(S3Object::size).sum();
    return Optional.of(new Upload(id, f[0], size, Instant.ofEpochMilli(Long.parseLong(f[1]))));
  }

  /** The chunks of an upload in order (keys carry their 20-digit offsets). */
  private List<S3Object> chunks(String id) {
    return objects(prefix + "_uploads/" + id + "/chunks/");
  }

  @Override
  public long append(String id, long offset, InputStream in, long maxLength) throws IOException {
    Upload u = upload(id).orElseThrow(() -> new RegistryError(RegistryError.Code.BLOB_UPLOAD_UNKNOWN, "upload unknown"));
    if (offset != u.size()) {
      throw new RegistryError(RegistryError.Code.RANGE_INVALID, 416, "upload holds " + u.size() + " bytes, not " + offset);
    }
    String key = prefix + "_uploads/" + id + "/chunks/" + String.format("%020d", offset);
    long n = write(key, in, maxLength, Digester.sha256(), written -> {
      if (maxLength >= 0 && written != maxLength) {
        throw new RegistryError(RegistryError.Code.SIZE_INVALID, "the chunk has " + written + " bytes, not " + maxLength);
      }
    });
    return offset + n;
  }

  @Override
  public long commitUpload(String id, Digest expected) throws IOException {
    upload(id).orElseThrow(() -> new RegistryError(RegistryError.Code.BLOB_UPLOAD_UNKNOWN, "upload unknown"));
    List<S3Object> parts = chunks(id);
    long expectedOffset = 0;
    for (S3Object c : parts) { // contiguous, or the session is not one upload
      if (Long.parseLong(c.key().substring(c.key().lastIndexOf('/') + 1)) != expectedOffset) {
        throw new RegistryError(RegistryError.Code.BLOB_UPLOAD_INVALID, "upload chunks are not contiguous");
      }
      expectedOffset += c.size();
    }
    Digester hash = Digester.forDigest(expected.requireSupported());
    long size;
    if (blobSize(expected).isPresent()) {
      size = expectedOffset; // stored already: this upload's bytes are checked, not stored again
      try (InputStream in = concatenation(parts)) {
        byte[] buf = new byte[1 << 20];
        for (int r; (r = in.read(buf)) > 0; ) hash.update(buf, 0, r);
      }
      verify(hash, expected, size, -1);
    } else {
      try (InputStream in = concatenation(parts)) {
        size = write(blobKey(expected), in, -1, hash, n -> verify(hash, expected, n, -1));
      }
    }
    cancelUpload(id);
    return size;
  }

  private InputStream concatenation(List<S3Object> parts) {
    java.util.Iterator<S3Object> it = parts.iterator();
    return new java.io.SequenceInputStream(new java.util.Enumeration<InputStream>() {
      @Override
      public boolean hasMoreElements() {
        return it.hasNext();
      }

      @Override
      public InputStream nextElement() {
        String key = it.next().key();
        return s3.getObject(r -> r.bucket(bucket).key(key));
      }
    });
  }

  @Override
  public void cancelUpload(String id) {
    for (S3Object o : objects(prefix + "_uploads/" + id + "/")) s3.deleteObject(r -> r.bucket(bucket).key(o.key()));
  }

  @Override
  public List<Upload> uploads() {
    List<Upload> out = new ArrayList<>();
    ListObjectsV2Request req = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix + "_uploads/").delimiter("/").build();
    for (ListObjectsV2Response page : s3.listObjectsV2Paginator(req)) {
      for (CommonPrefix p : page.commonPrefixes()) {
        String id = p.prefix().substring((prefix + "_uploads/").length()).replace("/", "");
        upload(id).ifPresent(out::add);
      }
    }
    return out;
  }

  /**
   * Sessions by their newest object (the info, or the last chunk written), those without info (a
   * crash between writes, a chunk finished after its session was cancelled) included. Unfinished
   * multipart uploads are not looked at: they are invisible, and the bucket's lifecycle rule ends them.
   */
  @Override
  public List<String> removeStaleUploads(Instant cutoff, boolean dryRun) {
    String base = prefix + "_uploads/";
    java.util.Map<String, List<S3Object>> sessions = new java.util.TreeMap<>();
    for (S3Object o : objects(base)) {
      String rest = o.key().substring(base.length());
      int slash = rest.indexOf('/');
      sessions.computeIfAbsent(slash < 0 ? rest : rest.substring(0, slash), k -> new ArrayList<>()).add(o);
    }
    List<String> out = new ArrayList<>();
    for (var e : sessions.entrySet()) {
      if (e.getValue().stream().anyMatch(o -> !o.lastModified().isBefore(cutoff))) continue;
      out.add("_uploads/" + e.getKey());
      if (!dryRun) for (S3Object o : e.getValue()) s3.deleteObject(r -> r.bucket(bucket).key(o.key()));
    }
    return out;
  }

  @FunctionalInterface
  private interface BeforeVisible {
    void check(long size);
  }

  /**
   * Writes {@code in} (at most {@code max} bytes, -1: all) to {@code key}, hashing it; {@code check}
   * runs before the object becomes visible and may refuse it (then nothing is written). The first
   * {@link #SMALL_BYTES} are kept in chunks taken as they arrive from a shared budget, so a slow or
   * stalled client holds only what it sent; a stream that ends there is one PUT. A longer one takes
   * a part buffer only then, and goes up as a multipart upload completed after the check.
   */
  private long write(String key, InputStream in, long max, Digester hash, BeforeVisible check) throws IOException {
    long limit = max < 0 ? Long.MAX_VALUE : max + 1; // one byte more to tell "too long"
    byte[] buf;
    int filled;
    try (StagedHead head = StagedHead.read(in, (int) Math.min(limit, SMALL_BYTES), staging)) {
      if (head.size() < SMALL_BYTES || head.size() >= limit) { // the whole stream, or one byte too many
        byte[] body = head.bytes();
        hash.update(body, 0, body.length);
        check.check(body.length);
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(body));
        return body.length;
      }
      acquire(buffers, "part buffers");
      buf = new byte[PART_BYTES];
      filled = head.copyTo(buf);
    }
    String multipart = null;
    try {
      long total = 0;
      List<CompletedPart> done = new ArrayList<>();
      while (true) {
        while (filled < buf.length && total + filled < limit) {
          int r = in.read(buf, filled, (int) Math.min(buf.length - filled, limit - total - filled));
          if (r < 0) break;
          filled += r;
        }
        hash.update(buf, 0, filled);
        total += filled;
        boolean last = filled < buf.length || total >= limit;
        if (multipart == null) multipart = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
        if (filled > 0 || done.isEmpty()) {
          int number = done.size() + 1;
          String upload = multipart;
          byte[] body = filled == buf.length ? buf : java.util.Arrays.copyOf(buf, filled);
          String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(upload).partNumber(number),
              RequestBody.fromBytes(body)).eTag();
          done.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        filled = 0;
        if (last) {
          check.check(total);
          String upload = multipart;
          s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(upload)
              .multipartUpload(CompletedMultipartUpload.builder().parts(done).build()));
          multipart = null;
          return total;
        }
      }
    } finally {
      if (multipart != null) {
        String upload = multipart;
        try {
          s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(upload));
        } catch (RuntimeException e) {
          // an unfinished multipart upload is invisible; the bucket's lifecycle rule may clear it
        }
      }
      buffers.release();
    }
  }

  /** A permit of {@code pool}, or 429 when none is free within {@link #WAIT}: many clients at once are asked to come back. */
  static void acquire(Semaphore pool, String what) {
    try {
      if (!pool.tryAcquire(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        throw new RegistryError(RegistryError.Code.TOOMANYREQUESTS, "too many uploads at once: no free " + what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryError(RegistryError.Code.TOOMANYREQUESTS, "interrupted while waiting for " + what);
    }
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

  private void putSmall(String key, byte[] content) {
    s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(content));
  }

  private Optional<String> getSmall(String key) {
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(r -> r.bucket(bucket).key(key))) {
      return Optional.of(new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) return Optional.empty();
      throw e;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private List<S3Object> objects(String keyPrefix) {
    List<S3Object> out = new ArrayList<>();
    ListObjectsV2Request req = ListObjectsV2Request.builder().bucket(bucket).prefix(keyPrefix).build();
    for (ListObjectsV2Response page : s3.listObjectsV2Paginator(req)) out.addAll(page.contents());
    out.sort(java.util.Comparator.comparing(S3Object::key));
    return out;
  }

  private static String checkTag(String tag) {
    if (!RepositoryName.isTag(tag)) throw new RegistryError(RegistryError.Code.MANIFEST_INVALID, "invalid tag");
    return tag;
  }

  @Override
  public void close() {
    s3.close();
    presigner.close();
  }
}
