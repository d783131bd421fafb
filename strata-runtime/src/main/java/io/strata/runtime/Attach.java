package io.strata.runtime;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * Where a started container's standard streams go besides its log: a foreground {@code run} passes
 * the terminal's ({@code stdin} null unless {@code -i}); a detached monitor passes {@link #NONE}.
 * With {@code inheritTerminal} runc gets strata's own stdio, for {@code -t} on a terminal; with
 * {@code allocatePty} ({@code -t} without one, or detached) the container gets a pty of its own whose
 * output comes back as {@code stdout}, as Docker allocates one.
 */
public record Attach(InputStream stdin, OutputStream stdout, OutputStream stderr, boolean inheritTerminal, boolean allocatePty) {
  public static final Attach NONE = new Attach(null, null, null, false, false);

  public Attach(InputStream stdin, OutputStream stdout, OutputStream stderr, boolean inheritTerminal) {
    this(stdin, stdout, stderr, inheritTerminal, false);
  }

  /** A pty for a container whose caller has no terminal: its output (stdout and stderr as one) to {@code stdout}. */
  public static Attach pty(InputStream stdin, OutputStream stdout) {
    return new Attach(stdin, stdout, null, false, true);
  }
}
