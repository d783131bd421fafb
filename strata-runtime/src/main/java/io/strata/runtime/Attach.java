package io.strata.runtime;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * Where a started container's standard streams go besides its log: a foreground {@code run} passes
 * the terminal's ({@code stdin} null unless {@code -i}); a detached monitor passes {@link #NONE}.
 * With {@code inheritTerminal} runc gets strata's own stdio, for {@code -t}.
 */
public record Attach(InputStream stdin, OutputStream stdout, OutputStream stderr, boolean inheritTerminal) {
  public static final Attach NONE = new Attach(null, null, null, false);
}
