package io.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.errdefs.DataLossException;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** {@link ExitCodes}: docker's 0/1/125 and one-line messages, mapped in one place. */
class ExitCodesTest {
  @Test
  void errorKindsOfCommandsExitOne() {
    assertEquals(1, ExitCodes.of(new NotFoundException("no such image: foo")));
    assertEquals(1, ExitCodes.of(new InvalidArgumentException("bad")));
    assertEquals(1, ExitCodes.of(new DataLossException("damaged")));
    assertEquals(1, ExitCodes.of(new IOException("disk")));
    assertEquals(1, ExitCodes.of(new IllegalStateException("bug")));
  }

  @Test
  void usageErrorsExit125() {
    assertEquals(125, ExitCodes.of(new ExitCodes.UsageException("bad flag value")));
  }

  @Test
  void messagesAreOneLineAndGoLikeForFiles() {
    assertEquals("no such image: foo", ExitCodes.message(new NotFoundException("no such image: foo\nmore")));
    assertEquals("open /x.tar: no such file or directory",
        ExitCodes.message(new UncheckedIOException(new NoSuchFileException("/x.tar"))));
    assertEquals("internal error: boom", ExitCodes.message(new IllegalStateException("boom")));
  }

  @Test
  void onlyBugsAreUnexpected() {
    assertTrue(ExitCodes.isUnexpected(new NullPointerException()));
    assertFalse(ExitCodes.isUnexpected(new NotFoundException("x")));
    assertFalse(ExitCodes.isUnexpected(new IOException("x")));
  }
}
