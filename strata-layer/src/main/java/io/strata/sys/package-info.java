/**
 * The only native code in strata: a few Linux calls on the FFM API (mknod, fchmodat with
 * AT_SYMLINK_NOFOLLOW, lchown, utimensat, symlink, l*xattr). Callers need
 * {@code --enable-native-access=ALL-UNNAMED} (or the module's name) on the java command line.
 */
package io.strata.sys;
