/** Containers: runtime-spec bundles, the runc driver, lifecycle, diff and commit. */
package io.strata.runtime;
