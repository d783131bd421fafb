/**
 * The union filesystem: snapshots keyed by chainID (committed, read-only unpacked layers) and
 * containers' writable layers (active), with an {@code overlay} driver on kernel overlayfs and a
 * {@code native} driver of full copies. Snapshotters return {@link io.strata.snapshot.Mount}
 * records and never mount; {@link io.strata.snapshot.Mounter} does.
 */
package io.strata.snapshot;
