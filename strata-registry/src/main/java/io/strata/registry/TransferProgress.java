package io.strata.registry;

/**
 * What a pull or push reports, in Docker's words: a line for the whole transfer
 * ({@code latest: Pulling from library/busybox}, {@code Digest: ...}), and the state of each layer by
 * its short ID ({@code Pulling fs layer}, {@code Waiting}, {@code Downloading} with bytes,
 * {@code Verifying Checksum}, {@code Download complete}, {@code Extracting}, {@code Pull complete},
 * {@code Already exists}; {@code Preparing}, {@code Pushing}, {@code Pushed}, {@code Layer already exists},
 * {@code Mounted from NAME}). Called from several threads.
 */
public interface TransferProgress {
  void line(String text);

  /** {@code current} and {@code total} are bytes, or -1 when the status carries none. */
  void layer(String id, String status, long current, long total);

  TransferProgress QUIET = new TransferProgress() {
    @Override
    public void line(String text) {}

    @Override
    public void layer(String id, String status, long current, long total) {}
  };
}
