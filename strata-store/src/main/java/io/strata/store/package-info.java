/**
 * Bytes and names on disk: the content-addressed blob store, the metadata database, leases and
 * garbage collection. Start at {@link io.strata.store.Store#open}.
 *
 * <p>Guarantees. A blob is visible at {@code blobs/<alg>/<hex>} only after its size and digest
 * were verified, its bytes forced to disk, and it was renamed atomically into place; a crash at any
 * point leaves at most a temp file in {@code ingest/}, removed by the next open once its writer's
 * pid is gone. Writing the same blob from several threads or processes at once is safe and stores
 * it once. Metadata changes are SQLite transactions ({@code BEGIN IMMEDIATE}), safe across
 * processes. Garbage collection deletes only blobs no {@code refs} row (of an image, live lease,
 * container or build-cache entry) reaches, and runs under the database write lock, so a blob
 * committed under a lease is never lost to a concurrent collection.
 *
 * <p>Usage pattern for a command that adds an image: create a lease, write every blob under it,
 * record the image with {@link io.strata.store.ImageStore#put} (its refs now protect the blobs) in
 * one {@link io.strata.store.MetadataDb#write} transaction, close the lease.
 */
package io.strata.store;
